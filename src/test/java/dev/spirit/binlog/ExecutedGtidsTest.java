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
    g.began(mysql(10));
    assertThat(g).as("inside the transaction: what precedes it").hasToString(UUID_A + ":1-9");
    g.committed();
    assertThat(g).hasToString(UUID_A + ":1-10");
  }

  @Test
  void aDdlWithoutACommitIsCoveredByTheNextTransaction() {
    ExecutedGtids g = ExecutedGtids.from("0-1-100");
    MariadbGtidEventData ddl = new MariadbGtidEventData();
    ddl.setDomainId(0);
    ddl.setServerId(1);
    ddl.setSequence(101);
    g.began(ddl);
    MariadbGtidEventData dml = new MariadbGtidEventData();
    dml.setDomainId(0);
    dml.setServerId(1);
    dml.setSequence(102);
    g.began(dml);
    assertThat(g).hasToString("0-1-100");
    g.committed();
    assertThat(g).hasToString("0-1-102");
  }

  @Test
  void aGtidEventOfTheOtherKindOrWithoutDataFailsClosed() {
    assertThatThrownBy(() -> ExecutedGtids.from("0-1-100").began(mysql(1))).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> ExecutedGtids.from(UUID_A + ":1-9").began(null))
        .isInstanceOf(IllegalStateException.class);
  }
}
