package dev.spirit.binlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.shyiko.mysql.binlog.event.GtidEventData;
import com.github.shyiko.mysql.binlog.event.MariadbGtidEventData;
import com.github.shyiko.mysql.binlog.event.MySqlGtid;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ExecutedGtidsTest {
  private static final String UUID_A = "3e11fa47-71ca-11e1-9e33-c80aa9429562";

  private static GtidEventData mysql(long n) {
    return new GtidEventData(new MySqlGtid(UUID.fromString(UUID_A), n), (byte) 0, 0, 0, 0, 0, 0, 0, 0);
  }

  @Test
  void aMySqlGtidJoinsTheSetAtItsCommitOnly() {
    ExecutedGtids g = ExecutedGtids.from(UUID_A + ":1-9");
    assertThat(g.began(mysql(10), 1)).isFalse();
    assertThat(g).as("inside the transaction: what precedes it").hasToString(UUID_A + ":1-9");
    g.committed();
    assertThat(g).hasToString(UUID_A + ":1-10");
  }

  @Test
  void aDdlWithoutACommitIsCoveredByTheNextTransaction() {
    ExecutedGtids g = ExecutedGtids.from("0-1-100");
    MariadbGtidEventData ddl = new MariadbGtidEventData();
    ddl.setDomainId(0);
    ddl.setSequence(101);
    g.began(ddl, 7);
    MariadbGtidEventData dml = new MariadbGtidEventData();
    dml.setDomainId(0);
    dml.setSequence(102);
    assertThat(g.began(dml, 7)).as("MariaDB never skips").isFalse();
    assertThat(g).hasToString("0-1-100");
    g.committed();
    assertThat(g).as("the server id from the event's header: the library leaves the event's at 0")
        .hasToString("0-7-102");
  }

  @Test
  void aGtidEventOfTheOtherKindOrWithoutDataFailsClosed() {
    assertThatThrownBy(() -> ExecutedGtids.from("0-1-100").began(mysql(1), 1)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> ExecutedGtids.from(UUID_A + ":1-9").began(null, 1))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aMySqlTransactionTheSetAlreadyHoldsIsSkippedAndChangesNothing() {
    ExecutedGtids g = ExecutedGtids.from(UUID_A + ":1-9");
    assertThat(g.began(mysql(4), 1)).as("ran before the start").isTrue();
    g.committed();
    assertThat(g).hasToString(UUID_A + ":1-9");
    assertThat(g.began(mysql(10), 1)).isFalse();
  }
}
