package dev.spirit.binlog;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.shyiko.mysql.binlog.BinaryLogClient;
import dev.spirit.db.BinlogPosition;
import dev.spirit.db.ServerFlavor;
import dev.spirit.table.ChunkerIT;
import dev.spirit.table.NameCase;
import dev.spirit.table.TableInfo;
import dev.spirit.testing.DelayingProxy;
import dev.spirit.testing.ServerTest;
import dev.spirit.testing.TestDatabase;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;

/**
 * A binlog connection that stops delivering without closing (half-open TCP: a failed-over address, a dropped NAT
 * entry) raises nothing on its own. The subscription must notice the silence, its heartbeats included, within seconds,
 * replace the connection from the last transaction boundary, and lose no change made meanwhile.
 */
class BinlogStallIT {

  @ServerTest
  void aSilentConnectionIsReplacedAndNothingIsLost(TestDatabase db) throws Exception {
    db.execute("DROP TABLE IF EXISTS stalled", "CREATE TABLE stalled (id INT PRIMARY KEY, v INT)",
        "INSERT INTO stalled SELECT seq, 0 FROM (" + ChunkerIT.numbers(100) + ") n");
    ChangeBuffer buffer = new ChangeBuffer();
    TableInfo source;
    BinlogPosition start;
    try (Connection c = db.connection()) {
      source = TableInfo.load(c, db.schema(), "stalled");
      start = ServerFlavor.detect(c).currentPosition(c);
    }
    try (DelayingProxy proxy = new DelayingProxy(db.server().host(), db.server().port(), 0);
        BinlogSubscription binlog = new BinlogSubscription(() -> new BinaryLogClient("127.0.0.1", proxy.port(),
            db.server().user(), db.server().password()), source, NameCase.SENSITIVE, start, buffer,
            List.of("stalled"), 4245)) {
      binlog.start(Duration.ofSeconds(15));
      db.execute("UPDATE stalled SET v = 1 WHERE id <= 10");
      awaitKeys(buffer, 10);
      proxy.freezeOpenConnections();
      db.execute("UPDATE stalled SET v = 2 WHERE id BETWEEN 11 AND 30");
      awaitKeys(buffer, 30);
      assertThat(binlog.reconnects()).as("the silent connection was replaced").isPositive();
      binlog.checkHealthy();
      List<RowKey> keys = buffer.drain(Integer.MAX_VALUE);
      for (long id = 1; id <= 30; id++) {
        assertThat(keys).contains(new RowKey(List.of(id)));
      }
    }
  }

  static void awaitKeys(ChangeBuffer buffer, int count) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (buffer.size() < count && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(buffer.size()).as("keys seen").isGreaterThanOrEqualTo(count);
  }
}
