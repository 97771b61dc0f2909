package dev.spirit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** The man pages the build writes: one per visible command, valid roff, every flag of its command, the exit codes. */
class ManPagesTest {
  @TempDir Path dir;

  @Test
  void everyVisibleCommandHasAPage() throws IOException {
    ManPages.main(new String[] {dir.toString()});
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("spirit.1",
          "spirit-migrate.1", "spirit-move.1", "spirit-sentinel.1", "spirit-sentinel-status.1",
          "spirit-sentinel-release.1", "spirit-completion.1");
    }
  }

  @Test
  void groffReadsEveryPageWithoutAWarningAndItListsEveryFlagAndTheExitCodes() throws Exception {
    Map<String, String> pages = ManPages.pages();
    CommandLine root = Main.commandLine(new java.io.PrintWriter(new java.io.StringWriter()),
        new java.io.PrintWriter(new java.io.StringWriter()), Map.of(), new CliHarness.RecordingHandlers(0));
    for (Map.Entry<String, String> page : pages.entrySet()) {
      Path file = dir.resolve(page.getKey());
      Files.writeString(file, page.getValue());
      Rendered rendered = render(file);
      assertThat(rendered.warnings()).as(page.getKey()).isEmpty();
      String text = rendered.text().replaceAll("\\s+", " ").replace("\u2010", "-");
      assertThat(text).as(page.getKey()).contains("NAME", "SYNOPSIS", "OPTIONS", "EXIT STATUS",
          "3 refused before any change", "130 interrupted");
      CommandLine command = commandOf(root, page.getKey());
      for (OptionSpec option : command.getCommandSpec().options()) {
        if (!option.hidden()) {
          assertThat(text).as(page.getKey()).contains(option.longestName());
        }
      }
    }
  }

  /** A default from this machine's environment never lands in a page; the annotation's does. */
  @Test
  void defaultsAreTheBuiltInOnesAndDsnsShowNone() {
    String move = ManPages.pages().get("spirit-move.1");
    assertThat(move).contains("Default: 4.").doesNotContain("spirit:spirit@");
  }

  @Test
  void roffControlCharactersAreEscaped() {
    assertThat(ManPages.text(".dot\n'quote a\\b --flag")).isEqualTo("\\&.dot\n\\&'quote a\\eb \\-\\-flag");
  }

  private static CommandLine commandOf(CommandLine root, String file) {
    CommandLine command = root;
    for (String part : List.of(file.replaceFirst("\\.1$", "").split("-")).subList(1,
        file.replaceFirst("\\.1$", "").split("-").length)) {
      command = command.getSubcommands().get(part);
    }
    return command;
  }

  private record Rendered(String text, String warnings) {}

  private static Rendered render(Path file) throws Exception {
    Process p = new ProcessBuilder("groff", "-man", "-Tutf8", "-ww", "-P", "-cbou", file.toString()).start();
    p.getOutputStream().close();
    String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String warnings = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isZero();
    return new Rendered(text, warnings);
  }
}
