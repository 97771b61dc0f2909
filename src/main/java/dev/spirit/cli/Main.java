package dev.spirit.cli;

import dev.spirit.config.ConfigSources;
import dev.spirit.logging.LogSetup;
import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine;

/** The {@code spirit} process: builds the command tree and runs it. */
public final class Main {
  static final int USAGE_HELP_WIDTH = 110;

  private Main() {}

  public static void main(String[] args) {
    if (System.console() != null) {
      // On a terminal the progress line is rewritten in place; a log line must first clear it (see logback.xml).
      System.setProperty("spirit.log.prefix", "\r\033[2K");
    }
    // The binlog client logs through java.util.logging; route it to SLF4J like everything else.
    LogSetup.routeJulToSlf4j();
    CommandHandlers engine = new EngineHandlers(System.out, System.err, System.console() != null);
    System.exit(run(new PrintWriter(System.out), new PrintWriter(System.err), System.getenv(), engine, args));
  }

  /**
   * Runs one command line and returns the process exit code. Everything the process depends on is passed in, so
   * tests run it with their own writers, environment and handlers.
   */
  public static int run(
      PrintWriter out, PrintWriter err, Map<String, String> env, CommandHandlers handlers, String... args) {
    try {
      return commandLine(out, err, env, handlers, args).execute(args);
    } finally {
      out.flush();
      err.flush();
    }
  }

  static CommandLine commandLine(
      PrintWriter out, PrintWriter err, Map<String, String> env, CommandHandlers handlers, String... args) {
    ConfigSources sources = new ConfigSources(env, ConfArgumentScanner.find(args).orElse(null));
    SpiritCommand root = new SpiritCommand();
    CommandLine spirit = new CommandLine(root);
    spirit.addSubcommand(new MigrateCommand(handlers, sources));
    spirit.addSubcommand(new MoveCommand(handlers, sources));
    CommandLine sentinel = new CommandLine(new SentinelCommand());
    sentinel.addSubcommand(new SentinelCommand.Status(handlers, sources));
    sentinel.addSubcommand(new SentinelCommand.Release(handlers, sources));
    spirit.addSubcommand(sentinel);
    spirit.addSubcommand(new CompletionCommand());
    // Values from the environment or the option file (passwords!) must reach the fields verbatim, not as
    // picocli ${...} templates; our own help text uses no variables.
    spirit.setInterpolateVariables(false);

    ExitCodeHelp.addTo(spirit);
    spirit.setDefaultValueProvider(new EnvAndFileDefaultProvider(sources));
    spirit.setUsageHelpWidth(USAGE_HELP_WIDTH);
    spirit.setUsageHelpLongOptionsMaxWidth(40);
    spirit.setOut(out);
    spirit.setErr(err);
    spirit.setParameterExceptionHandler(new UsageErrorHandler(new OptionOrigins(sources)));
    spirit.setExecutionExceptionHandler(new FailureHandler(root));
    spirit.setExecutionStrategy(parseResult -> {
      if (root.verbose()) {
        LogSetup.enableDebugLogging();
      }
      return new CommandLine.RunLast().execute(parseResult);
    });
    return spirit;
  }
}
