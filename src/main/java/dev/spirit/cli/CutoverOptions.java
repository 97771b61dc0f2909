package dev.spirit.cli;

import dev.spirit.config.CutoverSettings;
import dev.spirit.config.Defaults;
import dev.spirit.config.OptionNames;
import java.time.Duration;
import picocli.CommandLine.Option;

/** Cutover options shared by {@code migrate} and {@code move}. */
final class CutoverOptions {
  @Option(
      names = OptionNames.LOCK_WAIT_TIMEOUT,
      defaultValue = Defaults.LOCK_WAIT_TIMEOUT,
      converter = ValueConverters.GoDurationConverter.class,
      paramLabel = "<duration>",
      description = "Session lock_wait_timeout for checksum and cutover locks; whole seconds, at least 1s. At 90%% of"
          + " it, sessions holding the table (not an explicit LOCK TABLES) are ended.")
  Duration lockWaitTimeout;

  @Option(
      names = OptionNames.DEFER_CUTOVER,
      arity = "0..1",
      fallbackValue = "true",
      paramLabel = "<true|false>",
      description = "Create the _spirit_sentinel table and wait to cut over until an operator drops it.")
  boolean deferCutover;

  @Option(
      names = OptionNames.DEFER_CUTOVER_TIMEOUT,
      defaultValue = Defaults.DEFER_CUTOVER_TIMEOUT,
      converter = ValueConverters.GoDurationConverter.class,
      paramLabel = "<duration>",
      description = "How long --defer-cutover waits for the sentinel to be dropped before giving up.")
  Duration deferCutoverTimeout;

  CutoverSettings toSettings() {
    return new CutoverSettings(lockWaitTimeout, deferCutover, deferCutoverTimeout);
  }
}
