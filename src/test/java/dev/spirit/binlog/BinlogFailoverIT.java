package dev.spirit.binlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.shyiko.mysql.binlog.BinaryLogClient;
import dev.spirit.db.BinlogPosition;
import dev.spirit.db.ServerFlavor;
import dev.spirit.error.SpiritException;
import dev.spirit.table.ChunkerIT;
import dev.spirit.table.NameCase;
import dev.spirit.table.TableInfo;
import dev.spirit.testing.ServerTest;
import dev.spirit.testing.TestDatabase;
import dev.spirit.testing.TestServer;
import dev.spirit.testing.TestServers;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * A failover behind the subscription's address during a run: its connection drops and the next one reaches another
 * server, whose binlog file of the same name means nothing at this run's offset. The subscription must stop rather
 * than read it (it would miss or misread changes), and not as a failure for good: the checkpoint resumes there.
 */
@Isolated // kills the server's binlog dump threads (docs/testing.md)
class BinlogFailoverIT {

  @ServerTest
  void aReconnectionThatReachesAnotherServerStopsTheSubscription(TestDatabase db) throws Exception {
    db.execute("DROP TABLE IF EXISTS failing_over", "CREATE TABLE failing_over (id INT PRIMARY KEY, v INT)",
        "INSERT INTO failing_over SELECT seq, 0 FROM (" + ChunkerIT.numbers(100) + ") n");
    ChangeBuffer buffer = new ChangeBuffer();
    TableInfo source;
    BinlogPosition start;
    try (Connection c = db.connection()) {
      source = TableInfo.load(c, db.schema(), "failing_over");
      start = ServerFlavor.detect(c).currentPosition(c);
    }
    AtomicReference<TestServer> behindTheAddress = new AtomicReference<>(db.server());
    try (BinlogSubscription binlog = new BinlogSubscription(() -> new BinaryLogClient("127.0.0.1",
        behindTheAddress.get().port(), db.server().user(), db.server().password()), source, NameCase.SENSITIVE,
        start, buffer, List.of("failing_over"), 4246)) {
      binlog.start(Duration.ofSeconds(15));
      db.execute("UPDATE failing_over SET v = 1 WHERE id <= 10");
      BinlogStallIT.awaitKeys(buffer, 10);
      binlog.checkHealthy();

      behindTheAddress.set(TestServers.replicaServer(db.server()));
      for (List<String> dump : db.queryRows("SELECT ID FROM information_schema.PROCESSLIST WHERE COMMAND LIKE"
          + " 'Binlog Dump%'")) {
        db.execute("KILL " + dump.get(0));
      }
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (System.nanoTime() < deadline && healthy(binlog)) {
        Thread.sleep(50);
      }
      assertThatThrownBy(binlog::checkHealthy).isInstanceOf(SpiritException.class)
          .hasMessageContaining("now reaches another server").hasMessageContaining("resumes from its checkpoint");
      assertThat(binlog.failedForGood()).as("a resume on the new server is the way on").isFalse();
    }
  }

  private static boolean healthy(BinlogSubscription binlog) {
    try {
      binlog.checkHealthy();
      return true;
    } catch (SpiritException e) {
      return false;
    }
  }
}
