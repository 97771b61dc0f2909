package dev.spirit.cli;

import static dev.spirit.cli.CliHarness.migrate;
import static dev.spirit.cli.CliHarness.run;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import dev.spirit.cli.CliHarness.Result;
import dev.spirit.config.MigrateConfig;
import dev.spirit.config.MoveConfig;
import dev.spirit.error.ErrorCode;
import dev.spirit.error.SpiritException;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class MainTest {
  private static final String EXIT_CODES = String.join("\n",
      "Exit codes:",
      "  0     done",
      "  1     failed at run time",
      "  2     usage or configuration error",
      "  3     refused before any change",
      "  130   interrupted");

  @AfterEach
  void resetLogLevel() {
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(Level.INFO);
  }

  @Test
  void versionGoesToStdout() {
    for (String flag : new String[] {"--version", "-v"}) {
      Result result = run(flag);
      assertThat(result.exitCode()).isZero();
      assertThat(result.out()).matches("spirit \\S+ \\(commit \\S+\\)\\R");
      assertThat(result.out()).doesNotContain("${");
      assertThat(result.err()).isEmpty();
    }
  }

  @Test
  void helpListsCommandsAndExitCodesOnStdout() {
    Result result = run("--help");
    assertThat(result.exitCode()).isZero();
    assertThat(result.err()).isEmpty();
    assertThat(result.out()).contains("Usage: spirit", "migrate ", "move ", "--verbose", EXIT_CODES);
    assertThat(result.out()).contains("completion ").doesNotContain("generate-completion");
    assertThat(run("-h").out()).isEqualTo(result.out());
  }

  @Test
  void everySubcommandHelpListsTheExitCodes() {
    for (String command : new String[] {"migrate", "move"}) {
      Result result = run(command, "--help");
      assertThat(result.exitCode()).isZero();
      assertThat(result.out()).contains("Usage: spirit " + command, EXIT_CODES, "--verbose");
    }
  }

  /** A refused flag's help says so; it never describes what it would do as if it did it. */
  @Test
  void helpSaysWhichFlagsAreNotAvailableYet() {
    String help = String.join(" ", run("migrate", "--help").out().lines().map(String::strip).toList());
    assertThat(help).contains("--replica-dsn=<dsn,...>").contains("Replicas whose lag pauses the row copy")
        .doesNotContain("Not available");
    assertThat(String.join(" ", run("move", "--help").out().lines().map(String::strip).toList()))
        .contains("--reverse-window=<duration>").contains("Not available yet: only 0s")
        .contains("--replica-dsn=<dsn,...>").contains("Not available for move yet: a move given replicas is refused")
        .doesNotContain("Replicas whose lag pauses")
        .doesNotContain("the move engine is still being built");
  }

  @Test
  void helpLinesFitTheFixedWidth() {
    for (String command : new String[] {"--help", "migrate --help", "move --help"}) {
      assertThat(run(command.split(" ")).out().lines())
          .allSatisfy(line -> assertThat(line).hasSizeLessThanOrEqualTo(110));
    }
  }


  @Test
  void noCommandIsAUsageError() {
    Result result = run();
    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.errLines())
        .containsExactly("spirit: a command is required: migrate or move", "Try 'spirit --help' for usage.");
  }

  @Test
  void aMistypedCommandGetsASuggestion() {
    Result result = run("migrat");
    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.errLines())
        .containsExactly("spirit: unknown command 'migrat' (did you mean migrate?)", "Try 'spirit --help' for usage.");
  }

  @Test
  void theProductionMoveHandlerRefusesAReverseWindowBeforeConnecting() {
    Result move = run(Map.of(), new EngineHandlers(System.out, System.err, false), "move", "--reverse-window", "1h");
    assertThat(move.exitCode()).isEqualTo(3);
    assertThat(String.join(" ", move.errLines())).contains("--reverse-window is not available yet");
  }

  @Test
  void theHandlersExitCodeIsTheProcessExitCode() {
    assertThat(run(Map.of(), new CliHarness.RecordingHandlers(0), migrate()).exitCode()).isZero();
    assertThat(run(Map.of(), new CliHarness.RecordingHandlers(3), migrate()).exitCode()).isEqualTo(3);
  }

  @Test
  void aSpiritExceptionExitsWithItsErrorCodesExitCode() {
    Result result = run(Map.of(), failingWith(new SpiritException(ErrorCode.UNSUPPORTED_STATEMENT,
        "ALTER TABLE t RENAME TO u is not supported; use RENAME TABLE")), migrate());
    assertThat(result.exitCode()).isEqualTo(3);
    assertThat(result.errLines())
        .containsExactly("spirit: ALTER TABLE t RENAME TO u is not supported; use RENAME TABLE");

    Result interrupted = run(Map.of(), failingWith(new SpiritException(ErrorCode.INTERRUPTED, "stopped")), migrate());
    assertThat(interrupted.exitCode()).isEqualTo(130);
  }

  @Test
  void anyOtherExceptionIsAnInternalErrorWithoutAStackTrace() {
    Result result = run(Map.of(), failingWith(new IllegalStateException("chunker lost its place")), migrate());
    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.errLines())
        .containsExactly("spirit: internal error: chunker lost its place (--verbose shows the stack trace)");
  }

  @Test
  void verbosePrintsStackTracesWhereverItIsGiven() {
    Result before = run(Map.of(), failingWith(new IllegalStateException("boom")), "--verbose", "migrate",
        "--statement", "ALTER TABLE t ADD c INT");
    Result after = run(Map.of(), failingWith(new IllegalStateException("boom")), migrate("--verbose"));
    for (Result result : new Result[] {before, after}) {
      assertThat(result.exitCode()).isEqualTo(1);
      assertThat(result.errLines().get(0)).isEqualTo("spirit: internal error: boom");
      assertThat(result.err()).contains("java.lang.IllegalStateException: boom", "\tat dev.spirit.cli.");
    }
  }

  @Test
  void verboseTurnsOnDebugLogging() {
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    run(migrate());
    assertThat(root.getLevel()).isEqualTo(Level.INFO);
    run(migrate("--verbose"));
    assertThat(root.getLevel()).isEqualTo(Level.DEBUG);
  }

  private static CommandHandlers failingWith(RuntimeException failure) {
    return new CommandHandlers() {
      @Override
      public int migrate(MigrateConfig config) {
        throw failure;
      }

      @Override
      public int move(MoveConfig config) {
        throw failure;
      }

      @Override
      public int sentinel(dev.spirit.config.SentinelRequest request, boolean release) {
        throw failure;
      }
    };
  }
}
