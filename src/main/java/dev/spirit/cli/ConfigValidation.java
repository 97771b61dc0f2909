package dev.spirit.cli;

import dev.spirit.config.InvalidOptionException;
import dev.spirit.error.ErrorCode;
import dev.spirit.error.SpiritException;
import java.util.List;
import java.util.function.Supplier;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * Runs the building of a configuration record and turns its refusals into picocli usage errors, so that a value
 * refused by validation is reported exactly like a value picocli could not parse: one line, a usage hint, exit 2.
 */
final class ConfigValidation {
  private ConfigValidation() {}

  static <T> T build(CommandSpec command, OptionOrigins origins, Supplier<T> builder) {
    try {
      return builder.get();
    } catch (InvalidOptionException e) {
      List<String> args = command.commandLine().getParseResult().originalArgs();
      throw new ParameterException(
          command.commandLine(), e.getMessage() + origins.suffix(command, e.options(), args), e);
    } catch (SpiritException e) {
      if (e.code() == ErrorCode.CONFIG_FILE) {
        throw new ParameterException(command.commandLine(), e.getMessage(), e);
      }
      throw e;
    }
  }
}
