package dev.spirit.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** The top command, {@code spirit}: version, help, and the {@code --verbose} switch every subcommand inherits. */
@Command(
    name = "spirit",
    versionProvider = VersionProvider.class,
    synopsisSubcommandLabel = "COMMAND",
    description = {"Online schema change for MySQL 8 and MariaDB.", ""},
    commandListHeading = "%nCommands:%n")
final class SpiritCommand implements Runnable {
  @Spec CommandSpec spec;

  @Option(names = {"-v", "--version"}, versionHelp = true, description = "Print the version and exit.")
  boolean versionRequested;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
  boolean helpRequested;

  private boolean verbose;

  // A setter, so that --verbose given after a subcommand still lands on this one instance.
  @Option(
      names = "--verbose",
      scope = ScopeType.INHERIT,
      description = "Log at debug level, and print stack traces of failures.")
  void setVerbose(boolean verbose) {
    this.verbose = verbose;
  }

  boolean verbose() {
    return verbose;
  }

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "a command is required: migrate or move");
  }
}
