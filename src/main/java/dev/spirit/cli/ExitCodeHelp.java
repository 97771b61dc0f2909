package dev.spirit.cli;

import dev.spirit.error.ExitCode;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;

/**
 * The "Exit codes:" section of every command's help, built from {@link ExitCode} so the list cannot drift from the
 * codes the process really returns.
 */
final class ExitCodeHelp {
  private ExitCodeHelp() {}

  static void addTo(CommandLine command) {
    command.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(list());
    command.getSubcommands().values().forEach(ExitCodeHelp::addTo);
  }

  static Map<String, String> list() {
    Map<String, String> list = new LinkedHashMap<>();
    for (ExitCode code : ExitCode.values()) {
      list.put(Integer.toString(code.code()), describe(code));
    }
    return list;
  }

  private static String describe(ExitCode code) {
    return switch (code) {
      case OK -> "done";
      case RUNTIME_FAILURE -> "failed at run time";
      case USAGE -> "usage or configuration error";
      case REFUSED -> "refused before any change";
      case INTERRUPTED -> "interrupted";
    };
  }
}
