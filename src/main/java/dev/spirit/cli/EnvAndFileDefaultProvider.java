package dev.spirit.cli;

import dev.spirit.config.ConfigSources;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Feeds picocli the layers below the command line: {@code SPIRIT_*} environment variables, then (for commands that
 * take {@code --conf}) the option file. picocli uses an answer only for options absent from the command line, and
 * falls back to the annotation's built-in default when the answer is null.
 */
final class EnvAndFileDefaultProvider implements IDefaultValueProvider {
  private final ConfigSources sources;

  EnvAndFileDefaultProvider(ConfigSources sources) {
    this.sources = sources;
  }

  @Override
  public String defaultValue(ArgSpec arg) {
    if (!(arg instanceof OptionSpec option) || option.usageHelp() || option.versionHelp()) {
      return null;
    }
    if (!option.longestName().startsWith("--") || option.command() == null) {
      return null;
    }
    return sources.lookup(option.longestName(), OptionOrigins.readsOptionFile(option.command()))
        .map(ConfigSources.ResolvedValue::value)
        .orElse(null);
  }
}
