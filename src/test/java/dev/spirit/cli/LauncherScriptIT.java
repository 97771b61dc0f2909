package dev.spirit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
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

  /** The heap is bounded unless the operator bounds it otherwise (RSS on a database host; docs/benchmarks.md). */
  @Test
  void theHeapIsCappedUnlessTheOperatorSetsItsSize() throws Exception {
    Result r = launch(Map.of(), "--version");
    assertThat(r.exit).isZero();
    assertThat(r.output).contains("-Xmx384m -jar ");
    for (String own : List.of("-Xmx2g", "-XX:MaxRAMPercentage=10")) {
      Result mine = launch(Map.of("JAVA_OPTS", own), "--version");
      assertThat(mine.output).as(own).contains(own).doesNotContain("-Xmx384m");
    }
  }

  @Test
  void aNicenessThatIsNotANumberFromZeroTo19IsAUsageError() throws Exception {
    for (String bad : List.of("low", "20", "-5")) {
      Result r = launch(Map.of("SPIRIT_NICE", bad), "--version");
      assertThat(r.exit).as(bad).isEqualTo(2);
      assertThat(r.output).as(bad).contains("SPIRIT_NICE must be an integer").doesNotContain("niceness=");
    }
  }

  @Test
  void theFirstMigrateWritesAClassDataArchiveAndLaterRunsMapIt(@TempDir Path dir) throws Exception {
    Map<String, String> env = Map.of("SPIRIT_CDS_DIR", dir.toString());
    Result first = launch(env, "migrate", "--statement", "ALTER TABLE t ADD COLUMN c INT");
    Path archive = archiveIn(first.output, "-XX:ArchiveClassesAtExit=");
    assertThat(archive.getParent()).isEqualTo(dir);
    assertThat(first.output).contains("-Xlog:cds*=off");

    Files.write(archive, new byte[] {(byte) 0xa8, (byte) 0xba, 0x0b, (byte) 0xf0, 1, 2, 3});
    Result second = launch(env, "migrate", "--statement", "ALTER TABLE t ADD COLUMN c INT");
    assertThat(archiveIn(second.output, "-XX:SharedArchiveFile=")).isEqualTo(archive);
    assertThat(second.output).doesNotContain("ArchiveClassesAtExit");
  }

  @Test
  void anArchiveCutShortBeforeItsHeaderWasWrittenIsMadeAgain(@TempDir Path dir) throws Exception {
    Map<String, String> env = Map.of("SPIRIT_CDS_DIR", dir.toString());
    Path archive = archiveIn(launch(env, "move").output, "-XX:ArchiveClassesAtExit=");
    Files.write(archive, new byte[8192]);
    Path stale = Files.writeString(dir.resolve("spirit-1.jsa"), "an archive of an older jar");

    Result again = launch(env, "move");
    assertThat(archiveIn(again.output, "-XX:ArchiveClassesAtExit=")).isEqualTo(archive);
    assertThat(again.output).doesNotContain("SharedArchiveFile");
    assertThat(stale).doesNotExist();
  }

  @Test
  void helpVersionAndSentinelRunsMakeNoArchive(@TempDir Path dir) throws Exception {
    Map<String, String> env = Map.of("SPIRIT_CDS_DIR", dir.toString());
    for (List<String> args : List.of(List.of("--version"), List.of("migrate", "--help"), List.of("sentinel"))) {
      Result r = launch(env, args.toArray(String[]::new));
      assertThat(r.output).as(args.toString()).doesNotContain("-XX:").doesNotContain("-Xlog:cds");
    }
    try (var files = Files.list(dir)) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  void theArchiveCanBeTurnedOffAndTheOperatorsOwnCdsOptionsWin(@TempDir Path dir) throws Exception {
    Result off = launch(Map.of("SPIRIT_CDS_DIR", dir.toString(), "SPIRIT_CDS", "0"), "migrate");
    assertThat(off.exit).isZero();
    assertThat(off.output).doesNotContain("-XX:").doesNotContain("-Xlog:cds");

    Result own = launch(Map.of("SPIRIT_CDS_DIR", dir.toString(), "JAVA_OPTS", "-Xshare:off"), "migrate");
    assertThat(own.output).contains("-Xshare:off").doesNotContain("-XX:").doesNotContain("-Xlog:cds");

    Result bad = launch(Map.of("SPIRIT_CDS_DIR", dir.toString(), "SPIRIT_CDS", "yes"), "migrate");
    assertThat(bad.exit).isEqualTo(2);
    assertThat(bad.output).contains("SPIRIT_CDS must be 0 or 1").doesNotContain("args=");
  }

  /** The real JDK running the tests: the archive the first run leaves is one the second run's JVM maps. */
  @Test
  void aRealJvmMapsTheArchiveTheFirstRunWrote(@TempDir Path dir) throws Exception {
    String[] refusedRun = {"migrate", "--host", "127.0.0.1:1", "--username", "u", "--password", "p", "--database", "d",
        "--statement", "ALTER TABLE t ADD COLUMN c INT"};
    Map<String, String> env = new HashMap<>(Map.of("SPIRIT_CDS_DIR", dir.toString()));
    Result first = launchWithStdoutOnly(env, refusedRun);
    assertThat(first.output).as("JVM archive warnings stay off stdout").isEmpty();
    Path archive;
    try (var files = Files.list(dir)) {
      archive = files.filter(f -> f.getFileName().toString().endsWith(".jsa")).findFirst().orElseThrow();
    }
    assertThat(Files.size(archive)).isGreaterThan(1 << 20);

    Path classLog = dir.resolve("classes.log");
    env.put("JAVA_OPTS", "-Xlog:class+load=info:file=" + classLog);
    Result second = launchWithStdoutOnly(env, refusedRun);
    assertThat(second.exit).isEqualTo(first.exit);
    assertThat(second.output).isEmpty();
    assertThat(Files.readString(classLog)).contains("dev.spirit.cli.Main source: shared objects file (top)");
  }

  private static Path archiveIn(String output, String option) {
    int at = output.indexOf(option);
    assertThat(at).as("%s in: %s", option, output).isNotNegative();
    String rest = output.substring(at + option.length());
    return Path.of(rest.substring(0, rest.indexOf(' ')));
  }

  private static int ownNiceness() throws Exception {
    Process p = new ProcessBuilder("nice").start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    p.waitFor(10, TimeUnit.SECONDS);
    return Integer.parseInt(out);
  }

  private static Result launch(Map<String, String> env, String... args) throws Exception {
    return run(new HashMap<>(Map.of("JAVA_HOME", fakeJdk.toString())), env, true, args);
  }

  /** With the JDK the tests run on, and only the launcher's stdout in {@link Result#output}. */
  private static Result launchWithStdoutOnly(Map<String, String> env, String... args) throws Exception {
    return run(new HashMap<>(Map.of("JAVA_HOME", System.getProperty("java.home"))), env, false, args);
  }

  private static Result run(Map<String, String> base, Map<String, String> env, boolean withStderr, String... args)
      throws Exception {
    List<String> command = new ArrayList<>(List.of("bin/spirit"));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    if (withStderr) {
      pb.redirectErrorStream(true);
    } else {
      pb.redirectError(ProcessBuilder.Redirect.DISCARD);
    }
    for (String own : List.of("SPIRIT_NICE", "JAVA_OPTS", "SPIRIT_CDS", "SPIRIT_CDS_DIR")) {
      pb.environment().remove(own);
    }
    pb.environment().putAll(base);
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Result(p.exitValue(), out);
  }

  private record Result(int exit, String output) {}
}
