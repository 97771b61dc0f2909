package dev.spirit.migration;

import dev.spirit.binlog.BinlogSubscription;
import dev.spirit.checkpoint.CheckpointWriter;
import dev.spirit.copier.Copier;
import dev.spirit.db.AdvisoryLock;
import dev.spirit.db.Workers;
import dev.spirit.error.ErrorCode;
import dev.spirit.error.SpiritException;
import dev.spirit.applier.Applier;
import dev.spirit.binlog.RowKey;
import dev.spirit.table.Chunker;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The copy: the copier's workers move ranges of every table while this thread applies the changes the binlog brings,
 * table by table, and watches everything that must stop it (the lock, the binlog, the checkpoints, a cancel). On any
 * exit the copy's statements have ended before control returns, so clean-up never races them.
 */
public final class CopyPhase {
  private static final Logger LOG = LoggerFactory.getLogger(CopyPhase.class);

  private final Copier copier;
  private final List<? extends CopiedTable> tables;
  private final BinlogSubscription binlog;
  private final CheckpointWriter checkpoints;
  private final AdvisoryLock lock;

  public CopyPhase(Copier copier, List<? extends CopiedTable> tables, BinlogSubscription binlog, CheckpointWriter checkpoints,
      AdvisoryLock lock) {
    this.copier = copier;
    this.tables = List.copyOf(tables);
    this.binlog = binlog;
    this.checkpoints = checkpoints;
    this.lock = lock;
  }

  public void run(BooleanSupplier cancelled) throws InterruptedException {
    AtomicBoolean stop = new AtomicBoolean();
    Set<String> reported = new HashSet<>(); // tables whose completed copy was logged
    CompletableFuture<Void> copy = CompletableFuture.runAsync(() -> copier.run(() -> stop.get()
        || cancelled.getAsBoolean()));
    try {
      while (!copy.isDone()) {
        lock.checkHeld();
        binlog.checkHealthy();
        checkpoints.checkHealthy();
        int applied = 0;
        for (CopiedTable table : tables) {
          applied += table.applyDuringCopy();
          reportCompleted(table, reported);
        }
        if (applied == 0) {
          Thread.sleep(100);
        }
      }
      copy.get();
      tables.forEach(t -> reportCompleted(t, reported));
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
   * Applies a table's changes as far as its copy allows. Integer keys can be placed against the copier's ranges in
   * Java: keys of copied ranges are applied, keys beyond the ranges handed out are left to the copier (it reads them
   * later), and the keys of ranges being copied wait. The watermarks are read once, before the buffer is touched, so
   * no lock is held across the two. Other keys cannot be placed; {@code otherKeysAnyTime} says whether they may be
   * applied while their range may still be being copied (a copy in one statement on one server, whose INSERT IGNORE
   * keeps the refreshed row) or only once the copy is complete (a copy whose rows are read, then written).
   *
   * @return how many keys were refreshed
   */
  public static int applyAllowed(Applier applier, Chunker chunker, boolean complete, boolean otherKeysAnyTime)
      throws InterruptedException, SQLException {
    if (!chunker.table().hasIntegerPrimaryKey()) {
      return complete || otherKeysAnyTime ? applier.flush(Applier.Selection.all()) : 0;
    }
    List<Object> low = chunker.lowWatermark();
    Applier.Selection copied = complete ? Applier.Selection.all()
        : low == null ? Applier.Selection.none() : Applier.Selection.below(new RowKey(low));
    int applied = applier.flush(copied);
    if (!complete && !chunker.allHandedOut()) {
      Applier.Selection uncopied = chunker.nextLowerBound().map(RowKey::new).map(Applier.Selection::from)
          .orElse(Applier.Selection.all());
      applier.discardUncopied(uncopied, k -> chunker.isBeyondHighWatermarkIntegerKey(k.values()));
    }
    return applied;
  }

  /** With several tables, says once when each table's copy is done. */
  private void reportCompleted(CopiedTable table, Set<String> reported) {
    if (tables.size() > 1 && table.copyComplete() && reported.add(table.quoted())) {
      LOG.info("copy of {} complete: {} rows", table.quoted(), table.rowsCopied());
    }
  }
}
