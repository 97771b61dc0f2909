package dev.spirit.testing;

import com.zaxxer.hikari.HikariDataSource;
import dev.spirit.applier.Applier;
import dev.spirit.applier.ChangeDrain;
import dev.spirit.binlog.BinlogSubscription;
import dev.spirit.binlog.ChangeBuffer;
import dev.spirit.binlog.KeyCodec;
import dev.spirit.copier.Copier;
import dev.spirit.db.BackgroundPriority;
import dev.spirit.db.BinlogPosition;
import dev.spirit.db.Database;
import dev.spirit.db.ServerFlavor;
import dev.spirit.table.ChunkSizer;
import dev.spirit.table.Chunker;
import dev.spirit.table.ColumnMapping;
import dev.spirit.table.TableInfo;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The engine's parts wired for one source table and its already-created new table, for tests of the phases after
 * the copy: a pool, the binlog subscription (started before the copy), the applier and the drain.
 */
public final class Pipeline implements AutoCloseable {
  public final Database database;
  public final HikariDataSource pool;
  public final ServerFlavor flavor;
  public final TableInfo source;
  public final TableInfo target;
  public final ColumnMapping mapping;
  public final ChangeBuffer buffer = new ChangeBuffer();
  public final BinlogSubscription binlog;
  public final Applier applier;
  public final ChangeDrain drain;

  public Pipeline(TestDatabase db, String table, String newTable, Duration lockWaitTimeout) throws Exception {
    database = new Database(db.server().jdbcUrl(db.schema()), db.server().user(), db.server().password(),
        lockWaitTimeout);
    pool = database.pool("pipeline-" + table, 10);
    BinlogPosition start;
    try (Connection c = pool.getConnection()) {
      flavor = ServerFlavor.detect(c);
      source = TableInfo.load(c, db.schema(), table);
      target = TableInfo.load(c, db.schema(), newTable);
      start = flavor.currentPosition(c);
    }
    mapping = ColumnMapping.between(source, target, Map.of());
    binlog = new BinlogSubscription(db.server()::binlogClient, source, dev.spirit.table.NameCase.SENSITIVE, start,
        buffer, List.of(table, newTable), 4242);
    binlog.start(Duration.ofSeconds(15));
    applier = new Applier(pool, flavor, source, target, mapping, new KeyCodec(source), buffer, 2);
    drain = new ChangeDrain(pool, flavor, binlog, applier, Duration.ofSeconds(30));
  }

  /** Copies the whole source into the new table with two workers. */
  public void copy() {
    Chunker chunker = new Chunker(pool, source, new ChunkSizer(500, 1, Duration.ofSeconds(2)));
    new Copier(pool, chunker, target, mapping, 2, BackgroundPriority.normal("test")).run(() -> false);
  }

  /** Locks both tables for writing, drains every pending change into the new table, and unlocks. */
  public void drainUnderLock() throws Exception {
    try (Connection lock = database.connect(); java.sql.Statement s = lock.createStatement()) {
      s.execute("LOCK TABLES " + source.quotedName() + " WRITE, " + target.quotedName() + " WRITE");
      try {
        drain.drainUnderLock(lock);
      } finally {
        s.execute("UNLOCK TABLES");
      }
    }
  }

  @Override
  public void close() {
    binlog.close();
    applier.close();
    pool.close();
  }
}
