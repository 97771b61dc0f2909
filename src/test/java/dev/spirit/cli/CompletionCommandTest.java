package dev.spirit.cli;

import static dev.spirit.cli.CliHarness.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.spirit.cli.CliHarness.Result;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code spirit completion bash|zsh}: the script is loaded by the real shell and asked to complete, as an operator's
 * Tab would. zsh is required in CI (.ci/run installs it); elsewhere its cases are skipped when it is missing.
 */
class CompletionCommandTest {
  @TempDir Path dir;

  @Test
  void theScriptGoesToStdoutAndNothingToStderr() {
    for (String shell : new String[] {"bash", "zsh", "BASH"}) {
      Result result = run("completion", shell);
      assertThat(result.exitCode()).isZero();
      assertThat(result.err()).isEmpty();
      assertThat(result.out()).startsWith("#!/usr/bin/env bash").contains("_picocli_spirit");
    }
  }

  @Test
  void anUnknownShellIsAUsageError() {
    Result result = run("completion", "fish");
    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("'fish' is not a shell spirit completes; use bash or zsh");
    assertThat(result.out()).isEmpty();
    assertThat(run("completion").exitCode()).isEqualTo(2);
  }

  @Test
  void bashCompletesCommandsSubcommandsAndFlags() throws Exception {
    Path script = script("bash");
    assertThat(bash(script, "spirit", "mi")).containsExactly("migrate");
    assertThat(bash(script, "spirit", "sentinel", "re")).containsExactly("release");
    assertThat(bash(script, "spirit", "migrate", "--defer-cut"))
        .containsExactly("--defer-cutover", "--defer-cutover-timeout");
    assertThat(bash(script, "spirit", "move", "--defer-s")).containsExactly("--defer-secondary-indexes");
    assertThat(bash(script, "spirit", "move", "--target-d")).containsExactly("--target-dsn");
    assertThat(bash(script, "spirit", "co")).containsExactly("completion");
  }

  /**
   * zsh runs the script through bashcompinit, whose {@code compgen} hands the function's candidates to {@code compadd},
   * and compadd keeps those matching the typed prefix; so what the script must get right is which command's candidates
   * it offers. This calls it as zsh's {@code _bash_complete} does (words 1-based, COMP_CWORD = CURRENT - 1).
   */
  @Test
  void zshRegistersTheCompletionAndOffersTheRightCommandsCandidates() throws Exception {
    assumeTrue(onPath("zsh") || System.getenv("CI") != null, "zsh is not installed");
    Path script = script("zsh");
    assertThat(zsh(script, "registered", "spirit", "mi"))
        .containsExactly("registered=_bash_complete -F _complete_spirit -o default");
    assertThat(zsh(script, "compgen", "spirit", "mi")).contains("migrate", "move", "sentinel", "completion")
        .doesNotContain("--target-dsn");
    assertThat(zsh(script, "compgen", "spirit", "migrate", "--defer-cut"))
        .contains("--defer-cutover", "--alter").doesNotContain("--target-dsn", "migrate");
    assertThat(zsh(script, "compgen", "spirit", "move", "--target-d"))
        .contains("--target-dsn", "--source-tables").doesNotContain("--alter");
    assertThat(zsh(script, "compgen", "spirit", "sentinel", "re")).containsExactly("status", "release");
  }

  private static List<String> zsh(Path script, String what, String... words) throws Exception {
    String array = String.join(" ", java.util.Arrays.stream(words).map(w -> "'" + w + "'").toList());
    String body = what.equals("registered") ? "print -r -- \"registered=${_comps[spirit]}\""
        : "words=(" + array + "); CURRENT=${#words}; COMP_WORDS=( \"${words[@]}\" ); COMP_CWORD=$((CURRENT-1));"
            + " COMP_LINE=\"$words\"; compgen -F _complete_spirit -- ${words[CURRENT]}";
    return shell(List.of("zsh", "-f", "-c", "source " + script + " && " + body));
  }

  private Path script(String shell) throws IOException {
    Result result = run("completion", shell);
    assertThat(result.exitCode()).isZero();
    Path file = dir.resolve("spirit." + shell);
    Files.writeString(file, result.out());
    return file;
  }

  /** The completions bash offers for the last word of the line. */
  private static List<String> bash(Path script, String... words) throws Exception {
    String line = String.join(" ", words);
    String array = String.join(" ", java.util.Arrays.stream(words).map(w -> "'" + w + "'").toList());
    return shell(List.of("bash", "--norc", "-c", "source " + script + "; COMP_WORDS=(" + array + "); COMP_CWORD="
        + (words.length - 1) + "; COMP_LINE='" + line + "'; COMP_POINT=${#COMP_LINE}; _complete_spirit;"
        + " printf '%s\\n' \"${COMPREPLY[@]}\""))
        .stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
  }

  private static List<String> shell(List<String> command) throws Exception {
    // stderr apart: bash's compopt complains outside a real completion, which is no part of the answer.
    Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out.lines().toList();
  }

  private static boolean onPath(String program) {
    for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (Files.isExecutable(Path.of(d, program))) {
        return true;
      }
    }
    return false;
  }
}
