package dev.spirit.migration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spirit.testing.ServerTest;
import dev.spirit.testing.TestDatabase;
import java.util.List;

/**
 * Refusals through the command line that {@code MigrateIT.refusalsExitThreeAndChangeNothing} does not cover: each
 * exits 3, names the table and the reason, leaves the table's definition and rows as they were, and leaves no helper
 * table ({@code _<t>_new}, {@code _<t>_old}, {@code <t>_spirit_swap}) behind.
 */
class MigrateRefusalsIT {

  /** Helper tables of {@code table} in the test's schema. */
  static List<String> helperTables(TestDatabase db, String table) throws Exception {
    return db.queryRows("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()"
        + " AND (TABLE_NAME LIKE '\\_" + table + "\\_%' OR TABLE_NAME LIKE '" + table + "\\_spirit%')")
        .stream().map(r -> r.get(0)).toList();
  }

  @ServerTest
  void primaryKeyColumnRenames(TestDatabase db) throws Exception {
    db.execute("DROP TABLE IF EXISTS renamed", "CREATE TABLE renamed (id INT NOT NULL, k INT NOT NULL,"
        + " v INT, PRIMARY KEY (id, k))", "INSERT INTO renamed VALUES (1, 1, 1), (2, 2, 2)");
    assertRefused(db, "renamed", "ALTER TABLE renamed RENAME COLUMN id TO ident",
        "renaming primary key column `id`");
    assertRefused(db, "renamed", "ALTER TABLE renamed CHANGE COLUMN k kk INT NOT NULL",
        "renaming primary key column `k`");
    assertRefused(db, "renamed", "ALTER TABLE renamed CHANGE id ident INT NOT NULL, ADD INDEX (v)",
        "renaming primary key column `id`");
  }

  @ServerTest
  void droppingAPrimaryKeyColumn(TestDatabase db) throws Exception {
    db.execute("DROP TABLE IF EXISTS pkdrop", "CREATE TABLE pkdrop (a INT NOT NULL, b INT NOT NULL, v INT,"
        + " PRIMARY KEY (a, b))", "INSERT INTO pkdrop VALUES (1, 1, 1), (1, 2, 2)");
    assertRefused(db, "pkdrop", "ALTER TABLE pkdrop DROP COLUMN b", "removes it from the primary key");
    assertRefused(db, "pkdrop", "ALTER TABLE pkdrop ADD COLUMN c INT, DROP COLUMN a", "primary key");
    assertRefused(db, "pkdrop", "ALTER TABLE pkdrop DROP PRIMARY KEY, ADD PRIMARY KEY (a)", "primary key");
  }

  @ServerTest
  void unsafeEnumAndSetChanges(TestDatabase db) throws Exception {
    db.execute("DROP TABLE IF EXISTS choices", "CREATE TABLE choices (id INT PRIMARY KEY,"
        + " e ENUM('a','b','c'), s SET('x','y','z')) DEFAULT CHARSET=utf8mb4",
        "INSERT INTO choices VALUES (1, 'a', 'x,y'), (2, 'c', ''), (3, NULL, 'z')");
    assertRefused(db, "choices", "ALTER TABLE choices MODIFY e ENUM('b','a','c')", "unsafe ENUM value reorder");
    assertRefused(db, "choices", "ALTER TABLE choices MODIFY e ENUM('a','new','b','c')",
        "unsafe ENUM value reorder");
    assertRefused(db, "choices", "ALTER TABLE choices CHANGE e e ENUM('c','b','a') NOT NULL",
        "unsafe ENUM value reorder");
    assertRefused(db, "choices", "ALTER TABLE choices MODIFY s ENUM('x','y','z')", "SET to ENUM");
    assertRefused(db, "choices", "ALTER TABLE choices MODIFY s SET('y','x','z')", "unsafe SET value reorder");
    assertRefused(db, "choices", "ALTER TABLE choices MODIFY e INT", "ENUM to int");
  }

  @ServerTest
  void addingForeignKeys(TestDatabase db) throws Exception {
    db.execute("DROP TABLE IF EXISTS fkadd", "DROP TABLE IF EXISTS fkparent",
        "CREATE TABLE fkparent (id INT PRIMARY KEY)",
        "CREATE TABLE fkadd (id INT PRIMARY KEY, p INT)", "INSERT INTO fkadd VALUES (1, NULL)");
    assertRefused(db, "fkadd", "ALTER TABLE fkadd ADD FOREIGN KEY (p) REFERENCES fkparent (id)",
        "adding foreign key");
    assertRefused(db, "fkadd", "ALTER TABLE fkadd ADD INDEX (p), ADD CONSTRAINT fk_p FOREIGN KEY (p)"
        + " REFERENCES fkparent (id) ON DELETE CASCADE", "adding foreign key");
    assertRefused(db, "fkadd", "ALTER TABLE fkadd ADD COLUMN q INT REFERENCES fkparent (id)", "REFERENCES");
    assertThat(db.queryLong("SELECT COUNT(*) FROM information_schema.REFERENTIAL_CONSTRAINTS"
        + " WHERE CONSTRAINT_SCHEMA = DATABASE()")).isZero();
  }

  @ServerTest
  void aForeignKeyFromAnotherSchemaPointingAtTheTable(TestDatabase db) throws Exception {
    String other = db.schema() + "_other";
    db.execute("DROP DATABASE IF EXISTS `" + other + "`", "DROP TABLE IF EXISTS referenced",
        "CREATE TABLE referenced (id INT PRIMARY KEY, v INT)", "INSERT INTO referenced VALUES (1, 1), (2, 2)",
        "CREATE DATABASE `" + other + "`",
        "CREATE TABLE `" + other + "`.child (id INT PRIMARY KEY, r INT,"
            + " CONSTRAINT child_to_referenced FOREIGN KEY (r) REFERENCES `" + db.schema() + "`.referenced (id))",
        "INSERT INTO `" + other + "`.child VALUES (10, 1)");
    try {
      MigrateIT.Run run = assertRefused(db, "referenced", "ALTER TABLE referenced ADD COLUMN x INT, ADD INDEX (v)",
          "foreign keys");
      assertThat(run.err()).contains("child_to_referenced");
      assertThat(helperTables(db, "referenced")).isEmpty();
      assertThat(db.queryLong("SELECT COUNT(*) FROM `" + other + "`.child")).isOne();
    } finally {
      db.execute("DROP DATABASE IF EXISTS `" + other + "`");
    }
  }

  /**
   * The converse: a table in another schema with the same name and foreign keys of its own does not make the
   * table here refused.
   */
  @ServerTest
  void aNamesakeWithForeignKeysInAnotherSchemaIsNotAReason(TestDatabase db) throws Exception {
    String other = db.schema() + "_namesake";
    db.execute("DROP DATABASE IF EXISTS `" + other + "`", "DROP TABLE IF EXISTS namesake",
        "CREATE TABLE namesake (id INT PRIMARY KEY, v INT)", "INSERT INTO namesake VALUES (1, 1), (2, 2)",
        "CREATE DATABASE `" + other + "`",
        "CREATE TABLE `" + other + "`.parent (id INT PRIMARY KEY)",
        "CREATE TABLE `" + other + "`.namesake (id INT PRIMARY KEY, p INT,"
            + " FOREIGN KEY (p) REFERENCES `" + other + "`.parent (id))",
        "CREATE TABLE `" + other + "`.points_at_namesake (id INT PRIMARY KEY, n INT,"
            + " FOREIGN KEY (n) REFERENCES `" + other + "`.namesake (id))");
    try {
      MigrateIT.Run run = MigrateIT.spirit(db, "--statement",
          "ALTER TABLE namesake ADD COLUMN x INT NOT NULL DEFAULT 3, ADD INDEX (v)");
      assertThat(run.exitCode()).as(run.err()).isZero();
      assertThat(db.queryRows("SELECT id, v, x FROM namesake ORDER BY id"))
          .isEqualTo(List.of(List.of("1", "1", "3"), List.of("2", "2", "3")));
      assertThat(helperTables(db, "namesake")).isEmpty();
    } finally {
      db.execute("DROP DATABASE IF EXISTS `" + other + "`");
    }
  }

  /** Every key type InnoDB takes whole is tracked; a key on a prefix of a long text or binary value is not. */
  @ServerTest
  void primaryKeyTypesTheBinlogReaderCannotTrack(TestDatabase db) throws Exception {
    db.execute("DROP TABLE IF EXISTS bytext", "DROP TABLE IF EXISTS byblob",
        "CREATE TABLE bytext (t TEXT NOT NULL, v INT, PRIMARY KEY (t(10)))",
        "INSERT INTO bytext VALUES ('2024-01-01 00:00:00.5', 1)",
        "CREATE TABLE byblob (id INT NOT NULL, b BLOB NOT NULL, v INT, PRIMARY KEY (id, b(4)))",
        "INSERT INTO byblob VALUES (1, 'abcdef', 1)");
    // This refusal's message does not start with "refusing to migrate" like the others; it names table and reason.
    assertRefused(db, "bytext", "ALTER TABLE bytext ADD INDEX (v)", "primary key column `t` is of type text", false);
    assertRefused(db, "byblob", "ALTER TABLE byblob ADD INDEX (v)", "primary key column `b` is of type blob", false);
  }

  private static MigrateIT.Run assertRefused(TestDatabase db, String table, String statement, String reason)
      throws Exception {
    return assertRefused(db, table, statement, reason, true);
  }

  private static MigrateIT.Run assertRefused(TestDatabase db, String table, String statement, String reason,
      boolean refusalPrefix) throws Exception {
    String definition = db.queryRows("SHOW CREATE TABLE `" + table + "`").get(0).get(1);
    List<List<String>> rows = db.queryRows("SELECT * FROM `" + table + "` ORDER BY 1");
    MigrateIT.Run run = MigrateIT.spirit(db, "--statement", statement);
    assertThat(run.exitCode()).as(run.err()).isEqualTo(3);
    assertThat(run.err()).as(statement).contains("`" + table + "`").containsIgnoringCase(reason);
    if (refusalPrefix) {
      assertThat(run.err()).as(statement).contains("refusing to migrate");
    }
    assertThat(helperTables(db, table)).as("helper tables after: " + statement).isEmpty();
    assertThat(db.queryRows("SHOW CREATE TABLE `" + table + "`").get(0).get(1)).as(statement).isEqualTo(definition);
    assertThat(db.queryRows("SELECT * FROM `" + table + "` ORDER BY 1")).as(statement).isEqualTo(rows);
    return run;
  }
}
