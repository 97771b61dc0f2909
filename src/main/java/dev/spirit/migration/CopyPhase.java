package dev.spirit.migration;

import dev.spirit.applier.Applier;
import dev.spirit.binlog.BinlogSubscription;
import dev.spirit.binlog.RowKey;
import dev.spirit.checkpoint.CheckpointWriter;
import dev.spirit.copier.Copier;
import dev.spirit.db.AdvisoryLock;
import dev.spirit.db.Workers;
import dev.spirit.error.ErrorCode;
import dev.spirit.error.SpiritException;
import dev.spirit.table.Chunker;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The copy: the copier's workers move ranges while this thread applies the changes the binlog brings, and watches
 * everything that must stop it (the lock, the binlog, the checkpoints, a cancel). On any exit the copy's statements
 * have ended before control returns, so clean-up never races them.
 */
final class CopyPhase {
  private static final Logger LOG = LoggerFactory.getLogger(CopyPhase.class);

  private final Copier copier;
  private final Chunker chunker;
  private final Applier applier;
  private final boolean integerKey;
  private final BinlogSubscription binlog;
  private final CheckpointWriter checkpoints;
  private final AdvisoryLock lock;

  CopyPhase(Copier copier, Chunker chunker, Applier applier, boolean integerKey, BinlogSubscription binlog,
      CheckpointWriter checkpoints, AdvisoryLock lock) {
    this.copier = copier;
    this.chunker = chunker;
    this.applier = applier;
    this.integerKey = integerKey;
    this.binlog = binlog;
    this.checkpoints = checkpoints;
    this.lock = lock;
  }

  void run(BooleanSupplier cancelled) throws InterruptedException {
    AtomicBoolean stop = new AtomicBoolean();
    CompletableFuture<Void> copy = CompletableFuture.runAsync(() -> copier.run(() -> stop.get()
        || cancelled.getAsBoolean()));
    try {
      while (!copy.isDone()) {
        lock.checkHeld();
        binlog.checkHealthy();
        checkpoints.checkHealthy();
        int applied = integerKey ? applyCopiedRanges() : applier.flush(Applier.Selection.all());
        if (applied == 0) {
          Thread.sleep(100);
        }
      }
      copy.get();
    } catch (ExecutionException e) {
      throw e.getCause() instanceof SpiritException s ? s
          : new SpiritException(ErrorCode.INTERNAL, "copy failed: " + e.getCause(), e.getCause());
    } catch (SQLException e) {
      throw SpiritException.sql(ErrorCode.SQL_FAILED, "applying changes during the copy failed", e, null);
    } finally {
      stop.set(true);
      Workers.awaitQuietly(copy, Duration.ofMinutes(5), "the copy");
    }
    if (!copier.duplicateKeys().isEmpty()) {
      LOG.info("the copy met duplicates for the new unique key(s) {}; the checksum will tell whether the data"
          + " allows them", copier.duplicateKeys());
    }
  }

  /**
   * Integer keys can be placed against the copier's ranges in Java: keys of copied ranges are applied, keys beyond the
   * ranges handed out are left to the copier (it reads them later), and the keys of ranges being copied wait. The
   * watermarks are read once, before the buffer is touched, so no lock is held across the two. Other keys are all
   * applied as they come: a refreshed row is one the copy's INSERT IGNORE then keeps, and the buffer stays small.
   */
  private int applyCopiedRanges() throws InterruptedException, SQLException {
    boolean complete = chunker.isComplete();
    List<Object> low = chunker.lowWatermark();
    Applier.Selection copied = complete ? Applier.Selection.all()
        : low == null ? Applier.Selection.none() : Applier.Selection.below(new RowKey(low));
    int applied = applier.flush(copied);
    if (!chunker.allHandedOut()) {
      Applier.Selection uncopied = chunker.nextLowerBound().map(RowKey::new).map(Applier.Selection::from)
          .orElse(Applier.Selection.all());
      applier.discardUncopied(uncopied, k -> chunker.isBeyondHighWatermarkIntegerKey(k.values()));
    }
    return applied;
  }
}
