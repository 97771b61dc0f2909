package dev.spirit.config;

import java.time.Duration;
import java.util.Objects;

/**
 * Locking and timing of the cutover.
 *
 * <p>{@code lockWaitTimeout} becomes the session's {@code lock_wait_timeout}, which MySQL counts in whole seconds
 * (1 to 31536000); a fraction would be cut off by the server, so it is refused here instead.
 */
public record CutoverSettings(Duration lockWaitTimeout, boolean deferCutover, Duration deferCutoverTimeout) {
  public static final Duration MIN_LOCK_WAIT = Duration.ofSeconds(1);
  public static final Duration MAX_LOCK_WAIT = Duration.ofSeconds(31_536_000);

  public CutoverSettings {
    Objects.requireNonNull(lockWaitTimeout, "lockWaitTimeout");
    Objects.requireNonNull(deferCutoverTimeout, "deferCutoverTimeout");
    OptionChecks.between(OptionNames.LOCK_WAIT_TIMEOUT, lockWaitTimeout, MIN_LOCK_WAIT, MAX_LOCK_WAIT);
    if (lockWaitTimeout.getNano() != 0) {
      throw new InvalidOptionException(
          OptionNames.LOCK_WAIT_TIMEOUT + ": must be a whole number of seconds (MySQL counts lock_wait_timeout in"
              + " seconds), got " + GoDuration.format(lockWaitTimeout),
          OptionNames.LOCK_WAIT_TIMEOUT);
    }
    OptionChecks.positive(OptionNames.DEFER_CUTOVER_TIMEOUT, deferCutoverTimeout);
  }
}
