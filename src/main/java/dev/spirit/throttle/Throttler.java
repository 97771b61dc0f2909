package dev.spirit.throttle;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Whether the row copy may take its next range now. Only the copy asks; changes, repairs and the cutover never do. */
public interface Throttler {
  /** Never holds the copy back. */
  Throttler NONE = new Throttler() {
    @Override
    public String reason() {
      return null;
    }

    @Override
    public void awaitClear(BooleanSupplier stop) {}

    @Override
    public Duration pausedTime() {
      return Duration.ZERO;
    }
  };

  /** Why the copy must wait now, or null when it may go on. */
  String reason();

  /** Returns once the copy may go on, or when {@code stop} says the copy is over. */
  void awaitClear(BooleanSupplier stop) throws InterruptedException;

  /** How long the copy has been held back so far. */
  Duration pausedTime();
}
