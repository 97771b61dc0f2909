package dev.spirit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/spirit} as an operator starts it. A stand-in JDK (a {@code java} script under a temporary JAVA_HOME)
 * prints the niceness it was started at and its arguments, so the test sees exactly what the launcher would run.
 * An integration test because the launcher refuses to run before the package phase has built the jar.
 */
class LauncherScriptIT {
  @TempDir
  static Path fakeJdk;

  @BeforeAll
  static void standInJava() throws IOException {
    Path java = fakeJdk.resolve("bin/java");
    Files.createDirectories(java.getParent());
    Files.writeString(java, "#!/bin/sh\necho \"niceness=$(nice) args=$*\"\n", StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  @Test
  void runsTheJvmAtTheCallersPriorityByDefault() throws Exception {
    Result r = launch(Map.of(), "migrate", "--help");
    assertThat(r.exit).isZero();
    assertThat(r.output).startsWith("niceness=" + ownNiceness() + " ")
        .contains("-jar ").contains("spirit.jar migrate --help");
  }

  @Test
  void spiritNiceLowersTheJvmsPriority() throws Exception {
    Result r = launch(Map.of("SPIRIT_NICE", "19"), "--version");
    assertThat(r.exit).isZero();
    assertThat(r.output).startsWith("niceness=" + Math.min(19, ownNiceness() + 19) + " ");
  }

  @Test
  void aNicenessThatIsNotANumberFromZeroTo19IsAUsageError() throws Exception {
    for (String bad : List.of("low", "20", "-5")) {
      Result r = launch(Map.of("SPIRIT_NICE", bad), "--version");
      assertThat(r.exit).as(bad).isEqualTo(2);
      assertThat(r.output).as(bad).contains("SPIRIT_NICE must be an integer").doesNotContain("niceness=");
    }
  }

  private static int ownNiceness() throws Exception {
    Process p = new ProcessBuilder("nice").start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    p.waitFor(10, TimeUnit.SECONDS);
    return Integer.parseInt(out);
  }

  private static Result launch(Map<String, String> env, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("bin/spirit"));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().remove("SPIRIT_NICE");
    pb.environment().remove("JAVA_OPTS");
    pb.environment().put("JAVA_HOME", fakeJdk.toString());
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return new Result(p.exitValue(), out);
  }

  private record Result(int exit, String output) {}
}
