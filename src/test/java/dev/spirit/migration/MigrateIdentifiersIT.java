package dev.spirit.migration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spirit.sentinel.SentinelFaults;
import dev.spirit.table.ChunkerIT;
import dev.spirit.table.Identifiers;
import dev.spirit.testing.MirroredWriters;
import dev.spirit.testing.ServerTest;
import dev.spirit.testing.TestDatabase;
import java.time.Duration;
import java.util.List;

/**
 * Every identifier MySQL allows, through every statement spirit builds: reserved words, backticks, '%' (which a
 * format string would take for a conversion), spaces, non-ASCII letters, names of 64 characters, and two long names
 * sharing all but their last characters, whose helper tables must not collide.
 */
class MigrateIdentifiersIT {
  private static final String ALTER = " ADD COLUMN `new%s col` INT NOT NULL DEFAULT 1, ADD INDEX (`order`)";

  /** The table and a mirror, each {@code (id, order, %d, col with space)}. */
  private static void create(TestDatabase db, String table, String mirror) throws Exception {
    String t = Identifiers.quote(table);
    String m = Identifiers.quote(mirror);
    db.execute("DROP TABLE IF EXISTS " + t, "DROP TABLE IF EXISTS " + m,
        "CREATE TABLE " + t + " (`id` INT NOT NULL PRIMARY KEY, `order` INT NOT NULL, `%d` VARCHAR(10),"
            + " `col with space` INT, `x``y` INT)",
        "INSERT INTO " + t + " SELECT seq, seq % 50, CONCAT('%s', seq), seq, seq FROM (" + ChunkerIT.numbers(3000)
            + ") n",
        "CREATE TABLE " + m + " LIKE " + t, "INSERT INTO " + m + " SELECT * FROM " + t);
  }

  private static MirroredWriters writers(TestDatabase db, String table, String mirror) {
    return new MirroredWriters(db, table, mirror, 2, table.hashCode(), 1_000_000, List.of(), r -> {
      int id = 1 + r.nextInt(3000);
      return switch (r.nextInt(3)) {
        case 0 -> "UPDATE {t} SET `order` = `order` + 1, `%d` = '%x' WHERE `id` = " + id;
        case 1 -> "DELETE FROM {t} WHERE `id` = " + id;
        default -> "INSERT INTO {t} (`id`, `order`) VALUES (" + (3000 + id) + ", 1)";
      };
    });
  }

  private static void assertMigrated(TestDatabase db, String table, String mirror) throws Exception {
    String columns = "`id`, `order`, `%d`, `col with space`, `x``y`";
    assertThat(db.queryRows("SELECT " + columns + " FROM " + Identifiers.quote(table) + " ORDER BY `id`"))
        .isEqualTo(db.queryRows("SELECT " + columns + " FROM " + Identifiers.quote(mirror) + " ORDER BY `id`"));
    assertThat(db.queryLong("SELECT COUNT(*) FROM " + Identifiers.quote(table) + " WHERE `new%s col` <> 1"))
        .isZero();
  }

  @ServerTest
  void everyKindOfNameMigrates(TestDatabase db) throws Exception {
    List<String> names = List.of("select", "we`ird", "sales%2024", "a%sb", "with space", "naïve_ünïcode_表",
        "n".repeat(64));
    for (int i = 0; i < names.size(); i++) {
      String table = names.get(i);
      String mirror = "mirror_" + i;
      create(db, table, mirror);
      MigrateIT.Run run;
      try (MirroredWriters w = writers(db, table, mirror).start()) {
        w.awaitCommitted(20);
        run = MigrateIT.spirit(db, "--statement", "ALTER TABLE " + Identifiers.quote(table) + ALTER,
            "--target-chunk-size", "1KiB");
        w.awaitCommitted(w.committed() + 20);
        w.close();
        assertThat(w.errors()).as(table).isEmpty();
      }
      assertThat(run.exitCode()).as(table + ": " + run.err()).isZero();
      assertMigrated(db, table, mirror);
    }
  }

  /** Two 64-character names alike but for their ends, migrated at the same time: each has its own helpers. */
  @ServerTest
  void longNamesSharingAPrefixGetTheirOwnHelperTables(TestDatabase db) throws Exception {
    String a = "p".repeat(60) + "_one";
    String b = "p".repeat(60) + "_two";
    create(db, a, "mirror_a");
    create(db, b, "mirror_b");
    db.execute("DROP TABLE IF EXISTS _spirit_sentinel");
    Duration wait = Duration.ofMinutes(5);
    SentinelRun first = new SentinelRun(db, "ALTER TABLE `" + a + "`" + ALTER, true, wait, SentinelFaults.NONE);
    first.await("the first run ready", () -> "ready".equals(SentinelRun.status(db, first.owner)));
    SentinelRun second = new SentinelRun(db, "ALTER TABLE `" + b + "`" + ALTER, true, wait, SentinelFaults.NONE);
    second.await("the second run ready", () -> "ready".equals(SentinelRun.status(db, second.owner)));
    assertThat(db.queryLong("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()"
        + " AND TABLE_NAME LIKE '\\_pppp%'")).as("four helper tables: two shadows, two checkpoints").isEqualTo(4);
    db.execute("DELETE FROM _spirit_sentinel WHERE owner = '" + second.owner + "'");
    assertThat(second.outcome()).as(second.output()).isNull();
    db.execute("DROP TABLE _spirit_sentinel");
    assertThat(first.outcome()).as(first.output()).isNull();
    assertMigrated(db, a, "mirror_a");
    assertMigrated(db, b, "mirror_b");
  }

  /** A schema whose name needs quoting everywhere. */
  @ServerTest
  void anOddSchemaNameMigrates(TestDatabase db) throws Exception {
    String schema = "it odd%s`chema";
    db.execute("DROP DATABASE IF EXISTS " + Identifiers.quote(schema), "CREATE DATABASE " + Identifiers.quote(schema),
        "CREATE TABLE " + Identifiers.quote(schema, "t") + " (id INT PRIMARY KEY, v INT)",
        "INSERT INTO " + Identifiers.quote(schema, "t") + " SELECT seq, seq FROM (" + ChunkerIT.numbers(2000) + ") n");
    try {
      MigrateIT.Run run = MigrateIT.spiritIn(db, schema, "--statement", "ALTER TABLE t ADD INDEX (v)");
      assertThat(run.exitCode()).as(run.err()).isZero();
      assertThat(db.queryLong("SELECT COUNT(*) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = '"
          + schema.replace("'", "''") + "' AND TABLE_NAME = 't' AND COLUMN_NAME = 'v'")).isOne();
      assertThat(db.queryLong("SELECT SUM(v) FROM " + Identifiers.quote(schema, "t"))).isEqualTo(2001000);
    } finally {
      db.execute("DROP DATABASE IF EXISTS " + Identifiers.quote(schema));
    }
  }
}
