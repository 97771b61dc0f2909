package dev.spirit.db;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.shyiko.mysql.binlog.BinaryLogClient;
import com.github.shyiko.mysql.binlog.event.DeleteRowsEventData;
import com.github.shyiko.mysql.binlog.event.Event;
import com.github.shyiko.mysql.binlog.event.EventData;
import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.UpdateRowsEventData;
import com.github.shyiko.mysql.binlog.event.WriteRowsEventData;
import dev.spirit.testing.ServerTest;
import dev.spirit.testing.TestDatabase;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.parallel.Isolated;

/** Each server flavour is really there: reachable through HikariCP, detected, binlogging rows we can stream. */
@Isolated // acts on the whole server (docs/testing.md)
class ServerSmokeIT {

  @ServerTest
  void detectsFlavourAndVersionFromSelectVersion(TestDatabase db) throws Exception {
    try (Connection c = db.connection()) {
      ServerFlavor flavor = ServerFlavor.detect(c);
      if (db.server().isMariaDb()) {
        assertThat(flavor).isInstanceOf(MariaDbFlavor.class);
        assertThat(flavor.version().atLeast(10, 6, 0)).isTrue();
        assertThat(flavor.renamesUnderTableLock()).isFalse();
        // The wire handshake says 5.5.5-10.x; the JDBC metadata shows it, SELECT VERSION() does not.
        assertThat(c.getMetaData().getDatabaseProductVersion()).startsWith("5.5.5-");
      } else {
        assertThat(flavor).isInstanceOf(MySqlFlavor.class);
        assertThat(flavor.version().major()).isGreaterThanOrEqualTo(8);
        assertThat(flavor.renamesUnderTableLock()).isTrue();
      }
      assertThat(db.server().id()).contains(flavor.version().number());
    }
  }

  @ServerTest
  void binlogIsOnWithFullRowImages(TestDatabase db) throws Exception {
    try (Connection c = db.connection()) {
      ServerFlavor flavor = ServerFlavor.detect(c);
      BinlogSettings settings = flavor.binlogSettings(c);
      assertThat(settings.logBinEnabled()).isTrue();
      assertThat(settings.format()).isEqualTo("ROW");
      assertThat(settings.rowImage()).isEqualTo("FULL");
      assertThat(flavor.gtidEnabled(settings)).isTrue();
    }
  }

  @ServerTest
  void positionAdvancesWithEachWrite(TestDatabase db) throws Exception {
    db.execute("CREATE TABLE advance (id INT PRIMARY KEY)");
    try (Connection c = db.connection()) {
      ServerFlavor flavor = ServerFlavor.detect(c);
      BinlogPosition before = flavor.currentPosition(c);
      db.execute("INSERT INTO advance VALUES (1)");
      BinlogPosition after = flavor.currentPosition(c);
      assertThat(after.hasGtidSet()).isTrue();
      assertThat(after.gtidSet()).isNotEqualTo(before.gtidSet());
      assertThat(after.file().compareTo(before.file()) > 0
          || (after.file().equals(before.file()) && after.position() > before.position())).isTrue();
    }
  }

  /**
   * With the server's default row metadata, MariaDB (started with FULL) names the columns in the table map and
   * MySQL (MINIMAL by default) does not, which is why the engine maps row images by ordinal position.
   */
  @ServerTest
  void streamsInsertUpdateDeleteOfOneTable(TestDatabase db) throws Exception {
    db.execute("CREATE TABLE streamed (id INT PRIMARY KEY, name VARCHAR(20), qty INT)");
    List<String> names = streamThreeChanges(db, "streamed");
    if (db.server().isMariaDb()) {
      assertThat(names).containsExactly("id", "name", "qty");
    } else {
      assertThat(names).isNull();
    }
  }

  @ServerTest
  void tableMapNamesColumnsWhenRowMetadataIsFull(TestDatabase db) throws Exception {
    String previous = db.queryString("SELECT @@GLOBAL.binlog_row_metadata");
    db.execute("SET GLOBAL binlog_row_metadata = FULL");
    try {
      db.execute("CREATE TABLE named (id INT PRIMARY KEY, name VARCHAR(20), qty INT)");
      assertThat(streamThreeChanges(db, "named")).containsExactly("id", "name", "qty");
    } finally {
      db.execute("SET GLOBAL binlog_row_metadata = " + previous);
    }
  }

  /** Streams an INSERT, an UPDATE and a DELETE of {@code table}; returns the column names its table map carried. */
  private static List<String> streamThreeChanges(TestDatabase db, String table) throws Exception {
    BinlogPosition start;
    try (Connection c = db.connection()) {
      start = ServerFlavor.detect(c).currentPosition(c);
    }
    BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    BinaryLogClient client = new BinaryLogClient(db.server().host(), db.server().port(), db.server().user(),
        db.server().password());
    client.setServerId(ThreadLocalRandom.current().nextLong(1001, 1 << 30));
    client.setBinlogFilename(start.file());
    client.setBinlogPosition(start.position());
    client.setKeepAlive(false);
    client.registerEventListener(events::add);
    client.connect(15_000);
    try {
      db.execute(
          "INSERT INTO " + table + " VALUES (1, 'apple', 3)",
          "UPDATE " + table + " SET qty = 4, name = 'pear' WHERE id = 1",
          "DELETE FROM " + table + " WHERE id = 1");

      Map<Long, TableMapEventData> tableMaps = new HashMap<>();
      List<String> seen = new ArrayList<>();
      List<String> columnNames = null;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (seen.size() < 3 && System.nanoTime() < deadline) {
        Event event = events.poll(500, TimeUnit.MILLISECONDS);
        if (event == null) {
          continue;
        }
        EventData data = event.getData();
        if (data instanceof TableMapEventData map) {
          tableMaps.put(map.getTableId(), map);
        } else if (data instanceof WriteRowsEventData write && isOurs(tableMaps.get(write.getTableId()), db, table)) {
          TableMapEventData map = tableMaps.get(write.getTableId());
          columnNames = map.getEventMetadata() == null ? null : map.getEventMetadata().getColumnNames();
          seen.add("insert " + render(write.getRows().get(0)));
        } else if (data instanceof UpdateRowsEventData update
            && isOurs(tableMaps.get(update.getTableId()), db, table)) {
          Map.Entry<Serializable[], Serializable[]> row = update.getRows().get(0);
          seen.add("update " + render(row.getKey()) + " -> " + render(row.getValue()));
        } else if (data instanceof DeleteRowsEventData delete
            && isOurs(tableMaps.get(delete.getTableId()), db, table)) {
          seen.add("delete " + render(delete.getRows().get(0)));
        }
      }
      assertThat(seen).containsExactly(
          "insert [1, apple, 3]",
          "update [1, apple, 3] -> [1, pear, 4]",
          "delete [1, pear, 4]");
      return columnNames;
    } finally {
      client.disconnect();
    }
  }

  private static boolean isOurs(TableMapEventData map, TestDatabase db, String table) {
    return map != null && map.getDatabase().equals(db.schema()) && map.getTable().equals(table);
  }

  private static String render(Serializable[] row) {
    return Arrays.toString(Arrays.stream(row)
        .map(v -> v instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(v))
        .toArray());
  }
}
