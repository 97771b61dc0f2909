package dev.spirit.move;

import dev.spirit.applier.Applier;
import dev.spirit.applier.ChangeDrain;
import dev.spirit.binlog.BinlogSubscription;
import dev.spirit.db.AdvisoryLock;
import dev.spirit.db.Workers;
import dev.spirit.error.ErrorCode;
import dev.spirit.error.SpiritException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code --defer-secondary-indexes}: after the copy, each target table gets its secondary indexes back in one
 * {@code ALTER TABLE … ADD INDEX …}, which the server builds by sorting instead of maintaining each index row by row
 * during the copy. The server builds them online, so the changes of the source keep being applied meanwhile.
 */
final class IndexRestore {
  private static final Logger LOG = LoggerFactory.getLogger(IndexRestore.class);

  private final DataSource targetPool;
  private final String targetSchema;
  private final ChangeDrain drain;
  private final List<Applier> appliers;
  private final BinlogSubscription binlog;
  private final AdvisoryLock lock;

  IndexRestore(DataSource targetPool, String targetSchema, ChangeDrain drain, List<Applier> appliers,
      BinlogSubscription binlog, AdvisoryLock lock) {
    this.targetPool = targetPool;
    this.targetSchema = targetSchema;
    this.drain = drain;
    this.appliers = appliers;
    this.binlog = binlog;
    this.lock = lock;
  }

  void run(List<TableMove> tables, List<TargetTables.Definition> definitions, BooleanSupplier cancelled)
      throws SQLException, InterruptedException {
    for (int i = 0; i < tables.size(); i++) {
      String alter = TargetTables.restoreIndexes(targetSchema, tables.get(i).table(), definitions.get(i));
      if (alter == null || TargetTables.hasIndexes(targetPool, targetSchema, tables.get(i).table(),
          definitions.get(i))) {
        continue;
      }
      long started = System.nanoTime();
      CompletableFuture<Void> build = CompletableFuture.runAsync(() -> {
        try (Connection c = targetPool.getConnection(); Statement s = c.createStatement()) {
          s.execute(alter);
        } catch (SQLException e) {
          throw SpiritException.sql(ErrorCode.SQL_FAILED, "adding the secondary indexes back", e, alter);
        }
      });
      try {
        while (!build.isDone()) {
          if (cancelled.getAsBoolean()) {
            throw new SpiritException(ErrorCode.INTERRUPTED, "interrupted while the target's indexes were built");
          }
          lock.checkHeld();
          binlog.checkHealthy();
          int applied = 0;
          for (Applier a : appliers) {
            applied += a.flush(Applier.Selection.all());
          }
          if (applied == 0) {
            Thread.sleep(100);
          }
        }
        build.get();
      } catch (ExecutionException e) {
        throw e.getCause() instanceof SpiritException s ? s : SpiritException.of(e.getCause(), "building indexes");
      } finally {
        Workers.awaitQuietly(build, Duration.ofHours(24), "the index build");
      }
      LOG.info("secondary indexes of {} built in {} ms", tables.get(i).quotedTarget(),
          (System.nanoTime() - started) / 1_000_000);
    }
    drain.catchUp();
  }
}
