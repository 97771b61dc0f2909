package dev.spirit.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spirit.db.MetadataLockBlockers.Blocker;
import dev.spirit.db.MetadataLockBlockers.Holder;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MetadataLockBlockersTest {
  private static final String[] KILL = {"CONNECTION_ADMIN", "CONNECTION ADMIN", "SUPER"};

  @Test
  void looksForBlockersAtNinetyPercentOfTheWaitAndNeverBeforeNineTenthsOfASecond() {
    assertThat(MetadataLockBlockers.gracePeriod(Duration.ofSeconds(1))).isEqualTo(Duration.ofMillis(900));
    assertThat(MetadataLockBlockers.gracePeriod(Duration.ofSeconds(2))).isEqualTo(Duration.ofMillis(1800));
    assertThat(MetadataLockBlockers.gracePeriod(Duration.ofSeconds(3))).isEqualTo(Duration.ofMillis(2700));
    assertThat(MetadataLockBlockers.gracePeriod(Duration.ofSeconds(30))).isEqualTo(Duration.ofSeconds(27));
    assertThat(MetadataLockBlockers.gracePeriod(Duration.ZERO)).isEqualTo(Duration.ofMillis(900));
  }

  @Test
  void readsTheRightToEndOtherSessionsFromBothServersGrants() {
    assertThat(MetadataLockBlockers.hasGlobal(List.of(
        "GRANT USAGE ON *.* TO `spirit`@`%`",
        "GRANT SELECT, INSERT, PROCESS, SUPER ON *.* TO `spirit`@`%`"), KILL)).isTrue();
    assertThat(MetadataLockBlockers.hasGlobal(List.of(
        "GRANT SELECT, PROCESS ON *.* TO `spirit`@`%`",
        "GRANT CONNECTION_ADMIN,SYSTEM_VARIABLES_ADMIN ON *.* TO `spirit`@`%`"), KILL)).isTrue();
    assertThat(MetadataLockBlockers.hasGlobal(List.of(
        "GRANT SELECT, CONNECTION ADMIN ON *.* TO `spirit`@`%` IDENTIFIED BY PASSWORD '*ABC'"), KILL)).isTrue();
    assertThat(MetadataLockBlockers.hasGlobal(List.of(
        "GRANT ALL PRIVILEGES ON *.* TO 'root'@'localhost' WITH GRANT OPTION"), KILL)).isTrue();
    assertThat(MetadataLockBlockers.hasGlobal(List.of(
        "GRANT SELECT, PROCESS ON *.* TO `spirit`@`%`",
        "GRANT ALL PRIVILEGES ON `app`.* TO `spirit`@`%`"), KILL)).as("ALL on one schema").isFalse();
    assertThat(MetadataLockBlockers.hasGlobal(List.of("GRANT SELECT, PROCESS ON *.* TO `spirit`@`%`"), "PROCESS"))
        .isTrue();
    assertThat(MetadataLockBlockers.hasGlobal(List.of("GRANT SELECT ON *.* TO `spirit`@`%`",
        "GRANT PROCESS ON `app`.* TO `spirit`@`%`"), "PROCESS")).isFalse();
    assertThat(MetadataLockBlockers.hasGlobal(List.of(
        "GRANT SELECT ON *.* TO `spirit`@`%`", "GRANT `dba`@`%` TO `spirit`@`%`"), KILL)).as("through a role").isTrue();
  }

  private static Holder holder(long id, String mode, String table, long weight, boolean explicit) {
    return new Holder(id, "app", "10.0.0.7:5123", null, explicit ? null : 42L, 50, mode, table, weight, explicit);
  }

  @Test
  void endsOtherSessionsOnceEachAndSparesTheRunsOwnExplicitLocksAndHeavyTransactions() {
    List<Holder> holders = List.of(
        holder(7, "SHARED_READ", "`s`.`a`", 3, false),
        holder(7, "SHARED_WRITE", "`s`.`b`", 3, false),
        holder(8, "SHARED_READ", "`s`.`a`", 0, false),
        holder(9, "SHARED_READ_ONLY", "`s`.`a`", 0, true),
        holder(10, "SHARED_WRITE", "`s`.`a`", 2_000_000, false),
        holder(11, "SHARED_WRITE", "`s`.`a`", 1_000_000, false));
    List<Blocker> blockers = MetadataLockBlockers.blockers(holders, Set.of(8L)::contains);
    assertThat(blockers).extracting(Blocker::id).containsExactly(7L, 9L, 10L, 11L);
    assertThat(blockers.get(0).spareReason()).isNull();
    assertThat(blockers.get(0).locks()).hasSize(2);
    assertThat(blockers.get(0).describe()).isEqualTo("session 7 (app@10.0.0.7:5123, idle, transaction open 42 s)"
        + " holding SHARED_READ on `s`.`a`, SHARED_WRITE on `s`.`b`");
    assertThat(blockers.get(1).spareReason()).contains("explicit LOCK TABLES");
    assertThat(blockers.get(1).describe()).contains("(app@10.0.0.7:5123, idle, no transaction, in this state 50 s)");
    assertThat(blockers.get(2).spareReason()).contains("2000000 rows");
    assertThat(blockers.get(3).spareReason()).as("at the threshold").isNull();
  }

  @Test
  void namesWhatARunningSessionIsDoing() {
    Blocker b = new Blocker(5, List.of(new Holder(5, "app", "h", "SELECT SLEEP(100) FROM t", 3L, 3, "SHARED_READ",
        "`s`.`t`", 0, false)), null);
    assertThat(b.describe()).contains("running `SELECT SLEEP(100) FROM t`");
  }

  @Test
  void aWatchThatCannotEndAnythingExplainsAFailureAsItWas() throws Exception {
    try (MetadataLockBlockers.Watch watch = MetadataLockBlockers.NONE.watch(List.of(new TableName("s", "t")),
        Duration.ofSeconds(1), "the test")) {
      java.sql.SQLException failure = new java.sql.SQLException("Lock wait timeout exceeded", "HY000", 1205);
      assertThat((Throwable) watch.explain(failure)).isSameAs(failure);
      assertThat(watch.endedAny()).isFalse();
    }
  }
}
