package dev.spirit.applier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spirit.error.ErrorCode;
import dev.spirit.error.SpiritException;
import dev.spirit.testing.Pipeline;
import dev.spirit.testing.RowDiff;
import dev.spirit.testing.ServerTest;
import dev.spirit.testing.TestDatabase;
import java.time.Duration;

/** Changes against a new UNIQUE key: values moving between rows apply; real duplicates stop the run by name. */
class ApplierIT {

  @ServerTest
  void uniqueValuesSwappedBetweenRowsApplyUnderTheLock(TestDatabase db) throws Exception {
    db.execute("DROP TABLE IF EXISTS swap", "DROP TABLE IF EXISTS _swap_new",
        "CREATE TABLE swap (id INT PRIMARY KEY, email VARCHAR(20))",
        "INSERT INTO swap VALUES (1, 'x'), (2, 'y'), (3, 'z')",
        "CREATE TABLE _swap_new LIKE swap", "ALTER TABLE _swap_new ADD UNIQUE KEY uk_email (email)");
    try (Pipeline p = new Pipeline(db, "swap", "_swap_new", Duration.ofSeconds(5))) {
      p.copy();
      // Row 2 takes row 1's value after row 1 moved on: refreshing 2 before 1 meets a duplicate for a moment.
      db.execute("UPDATE swap SET email = 'tmp' WHERE id = 1", "UPDATE swap SET email = 'x' WHERE id = 2",
          "UPDATE swap SET email = 'y' WHERE id = 1");
      p.drainUnderLock();
    }
    RowDiff.assertSameRows(db.queryRows("SELECT id, email FROM _swap_new ORDER BY id"),
        db.queryRows("SELECT id, email FROM swap ORDER BY id"));
  }

  @ServerTest
  void aRealDuplicateForANewUniqueKeyStopsTheDrainNamingTheKey(TestDatabase db) throws Exception {
    db.execute("DROP TABLE IF EXISTS dup", "DROP TABLE IF EXISTS _dup_new",
        "CREATE TABLE dup (id INT PRIMARY KEY, email VARCHAR(20))",
        "INSERT INTO dup VALUES (1, 'x'), (2, 'y')",
        "CREATE TABLE _dup_new LIKE dup", "ALTER TABLE _dup_new ADD UNIQUE KEY uk_email (email)");
    try (Pipeline p = new Pipeline(db, "dup", "_dup_new", Duration.ofSeconds(5))) {
      p.copy();
      db.execute("INSERT INTO dup VALUES (3, 'x')");
      assertThatThrownBy(p::drainUnderLock)
          .isInstanceOfSatisfying(SpiritException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.DATA_LOSS_PREVENTED);
            assertThat(e.getMessage()).contains("uk_email").contains("`dup`").contains("unchanged");
          });
    }
    // The row holding the value first was never deleted to make room.
    assertThat(db.queryRows("SELECT id, email FROM _dup_new ORDER BY id")).contains(java.util.List.of("1", "x"));
  }

}
