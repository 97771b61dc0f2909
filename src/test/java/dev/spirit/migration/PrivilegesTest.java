package dev.spirit.migration;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PrivilegesTest {

  @Test
  void allOnEverythingIsEnough() {
    assertThat(Privileges.missing(List.of("GRANT ALL PRIVILEGES ON *.* TO `spirit`@`%` WITH GRANT OPTION"), "shop"))
        .isEmpty();
  }

  @Test
  void namesWhatIsMissing() {
    List<String> grants = List.of("GRANT REPLICATION SLAVE ON *.* TO `u`@`%`",
        "GRANT SELECT, INSERT, UPDATE, DELETE ON `shop`.* TO `u`@`%`");
    assertThat(Privileges.missing(grants, "shop")).containsExactly("REPLICATION CLIENT ON *.*",
        "ALTER ON `shop`.*", "CREATE ON `shop`.*", "DROP ON `shop`.*", "INDEX ON `shop`.*",
        "LOCK TABLES ON `shop`.*");
  }

  @Test
  void mariaDbBinlogMonitorStandsForReplicationClientAndSchemaWildcardsCount() {
    List<String> grants = List.of("GRANT BINLOG MONITOR, REPLICATION SLAVE ON *.* TO `u`@`%`",
        "GRANT ALL PRIVILEGES ON `sh%`.* TO `u`@`%`");
    assertThat(Privileges.missing(grants, "shop")).isEmpty();
    assertThat(Privileges.missing(grants, "other")).hasSize(9);
  }

  @Test
  void escapedUnderscoreIsLiteral() {
    assertThat(Privileges.covers("shop\\_db.*", "shop_db")).isTrue();
    assertThat(Privileges.covers("shop\\_db.*", "shopxdb")).isFalse();
    assertThat(Privileges.covers("shop_db.*", "shopxdb")).isTrue();
    assertThat(Privileges.covers("shop.orders", "shop")).isFalse();
  }

  @Test
  void roleGrantsCannotBeJudged() {
    assertThat(Privileges.missing(List.of("GRANT USAGE ON *.* TO `u`@`%`", "GRANT `migrator`@`%` TO `u`@`%`"),
        "shop")).isNull();
  }
}
