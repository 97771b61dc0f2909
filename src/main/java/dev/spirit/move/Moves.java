package dev.spirit.move;

import dev.spirit.config.MoveConfig;
import dev.spirit.error.ErrorCode;
import dev.spirit.error.SpiritException;
import dev.spirit.migration.Migrations;
import dev.spirit.status.StatusStream;
import java.io.PrintStream;

/**
 * The entry point of {@code spirit move}: refuses what is not built yet, then runs the move with Ctrl-C and SIGTERM
 * turned into a clean stop, as a migration does.
 */
public final class Moves {
  private Moves() {}

  /**
   * @param out where JSON status lines go with {@code --status-format json}; nothing else is written to it
   */
  public static int move(MoveConfig config, PrintStream out, PrintStream err, boolean liveProgress) {
    StatusStream status = StatusStream.of(config.reporting().statusFormat(), out, "move");
    MoveRunner runner = null;
    try {
      refuseUnavailable(config);
      if (config.reporting().dryRun()) {
        return MoveDryRun.run(config, err, status);
      }
      runner = new MoveRunner(config, err, liveProgress).withStatus(status);
      return Migrations.runStoppable(runner::run, runner::cancel, "the move failed", err, status,
          runner::phaseTimes);
    } catch (RuntimeException e) {
      status.failed(e, runner == null ? null : runner.phaseTimes());
      throw e;
    }
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
