package dev.spirit.cli;

import dev.spirit.config.OptionNames;
import java.util.Optional;

/**
 * Finds {@code --conf FILE} or {@code --conf=FILE} in the raw arguments. picocli asks for default values before it
 * has parsed the command line, so the option file must be known before parsing; this scan is that early look.
 */
final class ConfArgumentScanner {
  private static final String ATTACHED = OptionNames.CONF + "=";

  private ConfArgumentScanner() {}

  static Optional<String> find(String... args) {
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("--")) {
        break; // everything after is not an option
      }
      if (arg.equals(OptionNames.CONF) && i + 1 < args.length) {
        return Optional.of(args[i + 1]);
      }
      if (arg.startsWith(ATTACHED)) {
        return Optional.of(arg.substring(ATTACHED.length()));
      }
    }
    return Optional.empty();
  }
}
