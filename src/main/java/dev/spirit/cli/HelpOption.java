package dev.spirit.cli;

import picocli.CommandLine.Option;

/** {@code -h/--help} for a subcommand; the top command declares its own next to {@code --version}. */
final class HelpOption {
  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show this help and exit.")
  boolean requested;
}
