package dev.spirit.cli;

import dev.spirit.error.ExitCode;
import dev.spirit.error.SpiritException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Reports a failure of a command that started: {@code spirit: <message>} and the exit code of its error code. Any
 * other exception is a bug, reported as an internal error. Stack traces only with {@code --verbose}.
 *
 * <p>A message that already starts with the program or command name ({@code spirit migrate: ...}) is printed as it
 * is, so that it does not read {@code spirit: spirit migrate: ...}.
 */
final class FailureHandler implements IExecutionExceptionHandler {
  private final SpiritCommand root;

  FailureHandler(SpiritCommand root) {
    this.root = root;
  }

  @Override
  public int handleExecutionException(Exception ex, CommandLine command, ParseResult parseResult) {
    PrintWriter err = command.getErr();
    int exitCode;
    if (ex instanceof SpiritException spirit) {
      err.println(withProgramName(spirit.getMessage()));
      exitCode = spirit.exitCode().code();
    } else if (ex instanceof InterruptedException) {
      err.println("spirit: interrupted");
      exitCode = ExitCode.INTERRUPTED.code();
    } else {
      String message = ex.getMessage() == null ? ex.getClass().getName() : ex.getMessage();
      err.println("spirit: internal error: " + message + (root.verbose() ? "" : " (--verbose shows the stack trace)"));
      exitCode = ExitCode.RUNTIME_FAILURE.code();
    }
    if (root.verbose()) {
      ex.printStackTrace(err);
    }
    err.flush();
    return exitCode;
  }

  static String withProgramName(String message) {
    if (message != null && (message.startsWith("spirit:") || message.startsWith("spirit "))) {
      return message;
    }
    return "spirit: " + message;
  }
}
