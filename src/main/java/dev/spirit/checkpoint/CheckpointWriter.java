package dev.spirit.checkpoint;

import dev.spirit.db.BinlogPosition;
import dev.spirit.db.SqlErrors;
import dev.spirit.db.Workers;
import dev.spirit.error.ErrorCode;
import dev.spirit.error.SpiritException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the checkpoint every {@link #interval()} in the background, and on demand at the end of the copy and at the
 * sentinel wait. A transient failure (lost connection, lock wait, deadlock) is logged and retried at the next write;
 * any other failure is fatal, as upstream: the run cannot promise a resume it cannot record. The run learns of it
 * through {@link #checkHealthy}.
 */
public final class CheckpointWriter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CheckpointWriter.class);

  /**
   * What to write, read in this order by the supplier: the binlog position first, then the watermark (see the
   * package's invariant). Empty while there is nothing worth writing (no range completed yet).
   */
  public record State(BinlogPosition position, List<CheckpointTable.TableState> tables) {}

  private final DataSource pool;
  private final CheckpointTable table;
  private final String statement;
  private final Supplier<Optional<State>> state;
  private final ScheduledExecutorService timer;
  private volatile SpiritException failure;

  public CheckpointWriter(DataSource pool, CheckpointTable table, String statement,
      Supplier<Optional<State>> state) {
    this.pool = pool;
    this.table = table;
    this.statement = statement;
    this.state = state;
    this.timer = Executors.newSingleThreadScheduledExecutor(Workers.daemons("checkpoint-writer"));
  }

  /** 50 seconds, as upstream; {@code -Dspirit.checkpoint.intervalSeconds} shortens it for tests. */
  public static Duration interval() {
    return Duration.ofSeconds(Long.getLong("spirit.checkpoint.intervalSeconds", 50));
  }

  public void start() {
    long period = interval().toMillis();
    timer.scheduleWithFixedDelay(() -> {
      try {
        write();
      } catch (SpiritException e) {
        // recorded in failure by write; the run reads it through checkHealthy
      } catch (RuntimeException e) {
        failure = new SpiritException(ErrorCode.CHECKPOINT_FAILED, "writing the checkpoint failed: " + e, e);
      }
    }, period, period, TimeUnit.MILLISECONDS);
  }

  /** Writes now, one write at a time; a fatal failure is thrown and remembered. */
  public synchronized void write() {
    if (failure != null) {
      throw failure;
    }
    Optional<State> now = state.get();
    if (now.isEmpty()) {
      LOG.debug("no checkpoint yet: no range of the copy has completed");
      return;
    }
    State s = now.get();
    try (Connection c = pool.getConnection()) {
      table.write(c, s.position(), statement, s.tables());
      LOG.debug("checkpoint written at {}: {}", s.position(), s.tables().stream().map(t -> t.table() + " "
          + (t.copyCompleted() ? "copy completed" : t.watermark())).toList());
    } catch (SQLException e) {
      if (isTransient(e)) {
        LOG.warn("writing the checkpoint {} failed, will retry: {}", table.quotedName(), e.getMessage());
        return;
      }
      failure = SpiritException.sql(ErrorCode.CHECKPOINT_FAILED, "writing the checkpoint " + table.quotedName()
          + " failed; without it the run could not be resumed", e, null);
      throw failure;
    }
  }

  static boolean isTransient(SQLException e) {
    return SqlErrors.isConnectionLoss(e) || SqlErrors.isLockConflict(e) || e.getErrorCode() == 3024;
  }

  /** Throws the failure that stopped checkpointing, if any. */
  public void checkHealthy() {
    SpiritException f = failure;
    if (f != null) {
      throw f;
    }
  }

  /** Stops the background writes (at the cutover, or when the run ends); waits for one in progress. */
  @Override
  public void close() {
    Workers.stop(timer, Duration.ofSeconds(10), "the checkpoint writer");
  }
}
