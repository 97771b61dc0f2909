package dev.spirit.migration;

import dev.spirit.applier.ChangeDrain;
import dev.spirit.checkpoint.CheckpointWriter;
import dev.spirit.checksum.Checksummer;
import dev.spirit.db.AdvisoryLock;
import dev.spirit.db.SqlErrors;
import dev.spirit.error.ErrorCode;
import dev.spirit.error.SpiritException;
import dev.spirit.sentinel.SentinelGate;
import java.sql.SQLException;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a run does while the sentinel holds its cutover, called by the gate about once a second: keep applying
 * changes, so the cutover inherits no backlog, and re-verify every table every {@link #continuousChecksumInterval};
 * a difference that repairs cannot clear, a lost lock or a failed checkpoint stops the run.
 */
public final class WhileWaiting implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(WhileWaiting.class);

  private final ChangeDrain drain;
  private final CheckpointWriter checkpoints;
  private final AdvisoryLock lock;
  private final Checksummer checksummer;
  private final SentinelGate gate;
  private final BooleanSupplier cancelled;
  private final Supplier<SpiritException> interrupted;
  private final String quotedTables;
  private long nextPass = System.nanoTime() + continuousChecksumInterval().toNanos();

  public WhileWaiting(ChangeDrain drain, CheckpointWriter checkpoints, AdvisoryLock lock, Checksummer checksummer,
      SentinelGate gate, BooleanSupplier cancelled, Supplier<SpiritException> interrupted, String quotedTables) {
    this.drain = drain;
    this.checkpoints = checkpoints;
    this.lock = lock;
    this.checksummer = checksummer;
    this.gate = gate;
    this.cancelled = cancelled;
    this.interrupted = interrupted;
    this.quotedTables = quotedTables;
  }

  /** An hour, as upstream; {@code -Dspirit.sentinel.checksumIntervalSeconds} shortens it for tests. */
  static Duration continuousChecksumInterval() {
    return Duration.ofSeconds(Long.getLong("spirit.sentinel.checksumIntervalSeconds", 3600));
  }

  @Override
  public void run() {
    try {
      if (cancelled.getAsBoolean()) {
        throw interrupted.get();
      }
      lock.checkHeld();
      checkpoints.checkHealthy();
      drain.catchUp();
      if (System.nanoTime() > nextPass) {
        reverify();
        nextPass = System.nanoTime() + continuousChecksumInterval().toNanos();
      }
    } catch (SQLException e) {
      throw SpiritException.sql(ErrorCode.SQL_FAILED, "applying changes while waiting failed", e, null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw interrupted.get();
    }
  }

  /**
   * One full checksum pass while waiting. A release stops it (the cutover drains every change under its lock anyway);
   * a lock it cannot get in time (a long transaction on a table) defers it to the next interval, since a wait of
   * days must not end on one busy moment; a difference that repairs cannot clear stops the run.
   */
  private void reverify() throws SQLException, InterruptedException {
    LOG.info("re-verifying {} while waiting for the sentinel", quotedTables);
    try {
      checksummer.run(() -> cancelled.getAsBoolean() || gate.releaseSeen());
    } catch (SpiritException e) {
      if (e.code() != ErrorCode.INTERRUPTED || cancelled.getAsBoolean()) {
        throw e;
      }
      LOG.info("re-verification of {} stopped: the sentinel was released", quotedTables);
    } catch (SQLException e) {
      if (!SqlErrors.isLockConflict(e)) { // 1205 is also the metadata lock wait timeout
        throw e;
      }
      LOG.warn("re-verification of {} deferred to the next interval: {}", quotedTables, e.getMessage());
    }
  }
}
