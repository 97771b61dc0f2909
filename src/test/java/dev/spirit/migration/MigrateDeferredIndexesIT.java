package dev.spirit.migration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spirit.table.ChunkerIT;
import dev.spirit.table.CreateTable;
import dev.spirit.testing.MirroredWriters;
import dev.spirit.testing.ServerTest;
import dev.spirit.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * {@code migrate --defer-secondary-indexes}: the plain indexes the ALTER adds are built after the copy, and the table
 * ends exactly as the server's own ALTER makes it, with the rows an independent mirror of the writers holds.
 */
class MigrateDeferredIndexesIT {
  private static final String ALTER = " ADD INDEX ib (b), ADD UNIQUE KEY uc (c), ADD INDEX iab (a, b(10) DESC)";

  private static void create(TestDatabase db, String table) throws Exception {
    db.execute("DROP TABLE IF EXISTS " + table, "DROP TABLE IF EXISTS " + table + "_mirror",
        "DROP TABLE IF EXISTS " + table + "_ref",
        "CREATE TABLE " + table + " (id INT NOT NULL PRIMARY KEY, a INT NOT NULL, b VARCHAR(40), c INT NOT NULL,"
            + " KEY ka (a))",
        "INSERT INTO " + table + " SELECT seq, seq % 97, MD5(seq), seq FROM (" + ChunkerIT.numbers(20000) + ") n",
        "CREATE TABLE " + table + "_mirror LIKE " + table, "INSERT INTO " + table + "_mirror SELECT * FROM " + table,
        "CREATE TABLE " + table + "_ref LIKE " + table, "ALTER TABLE " + table + "_ref" + ALTER);
  }

  /** The table's columns and keys as the server prints them: what the ALTER made, whatever the table's name. */
  private static List<String> elements(TestDatabase db, String table) throws SQLException {
    try (Connection c = db.connection()) {
      return CreateTable.parse(dev.spirit.table.TableDefinition.readAsPrinted(c, db.schema(), table)).elements();
    }
  }

  private static MirroredWriters writers(TestDatabase db, String table) {
    return new MirroredWriters(db, table, table + "_mirror", 2, 77L, 1_000_000, List.of(), r -> {
      int id = 1 + r.nextInt(21000);
      return switch (r.nextInt(4)) {
        case 0 -> "UPDATE {t} SET a = a + 1, b = CONCAT('u', id) WHERE id = " + id;
        case 1 -> "DELETE FROM {t} WHERE id = " + id;
        case 2 -> "UPDATE {t} SET id = id + 100000, c = c + 100000 WHERE id = " + id;
        default -> "INSERT INTO {t} VALUES (" + (20000 + id) + ", 5, NULL, " + (20000 + id) + ")";
      };
    });
  }

  @ServerTest
  void theAddedIndexesAreBuiltAfterTheCopyWhileChangesGoOn(TestDatabase db) throws Exception {
    create(db, "items");
    MigrateIT.Run run;
    try (MirroredWriters w = writers(db, "items").start()) {
      w.awaitCommitted(20);
      run = MigrateIT.spirit(db, "--statement", "ALTER TABLE items" + ALTER, "--defer-secondary-indexes",
          "--target-chunk-size", "4KiB");
      w.awaitCommitted(w.committed() + 20);
      w.close();
      assertThat(w.errors()).isEmpty();
    }
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.err()).containsPattern("phases: .*secondary indexes");
    assertThat(elements(db, "items")).isEqualTo(elements(db, "items_ref"));
    MirroredWriters.assertSameContent(db, "items", "items_mirror");
  }

  @ServerTest
  void withoutTheFlagTheIndexesAreMaintainedDuringTheCopy(TestDatabase db) throws Exception {
    create(db, "plain");
    MigrateIT.Run run = MigrateIT.spirit(db, "--statement", "ALTER TABLE plain" + ALTER);
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.err()).doesNotContain("after the copy").doesNotContain("secondary indexes");
    assertThat(elements(db, "plain")).isEqualTo(elements(db, "plain_ref"));
  }

  /**
   * A run that left the index off and was killed mid-copy is resumed by a run without the flag: the resumed run still
   * builds the index, since the table must end as the ALTER makes it.
   */
  @ServerTest
  void aResumedRunBuildsTheIndexesAnEarlierRunLeftOff(TestDatabase db) throws Exception {
    ResumeIT.table(db, "parked", 20);
    db.execute("DROP TABLE IF EXISTS parked_ref", "CREATE TABLE parked_ref LIKE parked",
        "ALTER TABLE parked_ref ADD INDEX (v)");
    String[] args = ResumeIT.slowAddIndex("parked");
    String[] deferred = new String[args.length + 1];
    System.arraycopy(args, 0, deferred, 0, args.length);
    deferred[args.length] = "--defer-secondary-indexes";
    SpiritProcess first = SpiritProcess.migrate(db, deferred);
    Connection stall = ResumeIT.stallCopy(db, first, "parked", 20000);
    first.await("a checkpoint written mid-copy", () -> {
      try {
        return db.queryLong("SELECT COUNT(*) FROM _parked_chkpnt WHERE copy_completed = 0") == 1;
      } catch (SQLException e) {
        return false;
      }
    });
    first.kill();
    ResumeIT.release(stall);
    assertThat(ResumeIT.indexed(db, "_parked_new", "v")).as("the killed run left the index off").isFalse();

    SpiritProcess second = SpiritProcess.migrate(db, args);
    assertThat(second.exitCode()).as(second.output()).isZero();
    assertThat(second.output()).contains("resuming the migration of").containsPattern("phases: .*secondary indexes");
    assertThat(elements(db, "parked")).isEqualTo(elements(db, "parked_ref"));
    assertThat(db.queryLong("SELECT COUNT(*) FROM parked")).isEqualTo(20000);
  }
}
