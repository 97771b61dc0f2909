package dev.spirit.move;

import dev.spirit.config.MoveConfig;
import dev.spirit.error.ErrorCode;
import dev.spirit.error.SpiritException;
import dev.spirit.migration.Migrations;
import java.io.PrintStream;

/**
 * The entry point of {@code spirit move}: refuses what is not built yet, then runs the move with Ctrl-C and SIGTERM
 * turned into a clean stop, as a migration does.
 */
public final class Moves {
  private Moves() {}

  public static int move(MoveConfig config, PrintStream err, boolean liveProgress) {
    refuseUnavailable(config);
    MoveRunner runner = new MoveRunner(config, err, liveProgress);
    return Migrations.runStoppable(runner::run, runner::cancel, "the move failed", err);
  }

  /** Flags whose engine part is not built yet are refused, never silently ignored. */
  static void refuseUnavailable(MoveConfig config) {
    if (!config.reverseWindow().isZero()) {
      throw new SpiritException(ErrorCode.FEATURE_UNAVAILABLE, "--reverse-window is not available yet (the reverse"
          + " replication after a move's cutover is still being built); nothing was changed. Run with"
          + " --reverse-window 0s.");
    }
    if (!config.replicaThrottle().replicas().isEmpty()) {
      throw new SpiritException(ErrorCode.FEATURE_UNAVAILABLE, "--replica-dsn is not available for spirit move yet"
          + " (only spirit migrate throttles its copy on replica lag); nothing was changed. Run without it.");
    }
  }
}
