package dev.spirit.move;

import dev.spirit.applier.Applier;
import dev.spirit.applier.ChangeDrain;
import dev.spirit.applier.DdlWhileApplying;
import dev.spirit.binlog.BinlogSubscription;
import dev.spirit.db.AdvisoryLock;
import dev.spirit.table.CreateTable;
import java.sql.SQLException;
import java.util.List;
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

  void run(List<TableMove> tables, List<CreateTable> definitions, BooleanSupplier cancelled)
      throws SQLException, InterruptedException {
    for (int i = 0; i < tables.size(); i++) {
      String alter = TargetTables.restoreIndexes(targetSchema, tables.get(i).table(), definitions.get(i));
      if (alter == null || TargetTables.hasIndexes(targetPool, targetSchema, tables.get(i).table(),
          definitions.get(i))) {
        continue;
      }
      long started = System.nanoTime();
      DdlWhileApplying.run(targetPool, alter, "adding the secondary indexes back", appliers, () -> {
        lock.checkHeld();
        binlog.checkHealthy();
      }, cancelled);
      LOG.info("secondary indexes of {} built in {} ms", tables.get(i).quotedTarget(),
          (System.nanoTime() - started) / 1_000_000);
    }
    drain.catchUp();
  }
}
