package dev.spirit.config;

import dev.spirit.error.ErrorCode;
import dev.spirit.error.SpiritException;
import java.util.List;

/**
 * A value that configuration validation refused. It names the options involved so that the command line can say
 * where each value came from (the command line, an environment variable, the option file or the default).
 */
public final class InvalidOptionException extends SpiritException {
  private static final long serialVersionUID = 1L;

  private final List<String> options;

  public InvalidOptionException(String message, String... options) {
    super(ErrorCode.INVALID_OPTION, message);
    this.options = List.of(options);
  }

  /** The option names (such as {@code --threads}) whose values together are at fault; may be empty. */
  public List<String> options() {
    return options;
  }
}
