package dev.spirit.cli;

import dev.spirit.config.ConfigSources;
import dev.spirit.config.OptionNames;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Says where a refused value came from when it was not typed on the command line, so that
 * {@code --threads: must be between 1 and 64, got 0} does not puzzle someone who never typed {@code --threads}.
 */
final class OptionOrigins {
  private final ConfigSources sources;

  OptionOrigins(ConfigSources sources) {
    this.sources = sources;
  }

  /**
   * The environment variable or file line an option's value came from; empty when it came from the command line
   * ({@code args}) or the built-in default.
   */
  Optional<String> originOf(CommandSpec command, String optionName, List<String> args) {
    OptionSpec option = command.findOption(optionName);
    if (option == null || givenOnCommandLine(option, args)) {
      return Optional.empty();
    }
    return sources.lookup(option.longestName(), readsOptionFile(command)).map(ConfigSources.ResolvedValue::origin);
  }

  /** A suffix for a message about {@code optionNames}, such as {@code " (from SPIRIT_THREADS)"}, or "". */
  String suffix(CommandSpec command, List<String> optionNames, List<String> args) {
    if (optionNames.size() == 1) {
      return originOf(command, optionNames.get(0), args).map(o -> " (from " + o + ")").orElse("");
    }
    String parts = optionNames.stream()
        .flatMap(name -> originOf(command, name, args).map(o -> name + " from " + o).stream())
        .collect(Collectors.joining("; "));
    return parts.isEmpty() ? "" : " (" + parts + ")";
  }

  /** Only commands that take {@code --conf} read the option file. */
  static boolean readsOptionFile(CommandSpec command) {
    return command.findOption(OptionNames.CONF) != null;
  }

  private static boolean givenOnCommandLine(OptionSpec option, List<String> args) {
    for (String arg : args) {
      if (arg.equals("--")) {
        return false;
      }
      for (String name : option.names()) {
        if (arg.equals(name) || arg.startsWith(name + "=")) {
          return true;
        }
      }
    }
    return false;
  }
}
