package dev.spirit.statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spirit.error.SpiritException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The clause model and the queries on a parsed ALTER TABLE. */
class AlterTableStatementTest {

  private static AlterTableStatement alter(String clauses) {
    return (AlterTableStatement) StatementParser.parse("ALTER TABLE `shop`.`orders` " + clauses, "shop");
  }

  private static AlterClause only(String clauses) {
    List<AlterClause> all = alter(clauses).clauses();
    assertThat(all).hasSize(1);
    return all.get(0);
  }

  @Test
  void addColumnModel() {
    AlterClause c = only("ADD COLUMN `note text` enum('a','b,c','it''s') NOT NULL DEFAULT 'a' COMMENT 'x' AFTER `id`");
    assertThat(c.kind()).isEqualTo(ClauseKind.ADD_COLUMN);
    assertThat(c.name()).isEqualTo("note text");
    assertThat(c.column().type().text()).isEqualTo("enum('a','b,c','it''s')");
    assertThat(c.column().type().name()).isEqualTo("enum");
    assertThat(c.column().type().values()).containsExactly("a", "b,c", "it's");
    assertThat(c.column().notNull()).isTrue();
    assertThat(c.column().position()).isEqualTo(ColumnPosition.after("id"));
    assertThat(c.text()).endsWith("COMMENT 'x' AFTER `id`");
  }

  @Test
  void changeColumnModel() {
    AlterClause c = only("CHANGE COLUMN old_name `New` BIGINT UNSIGNED FIRST");
    assertThat(c.kind()).isEqualTo(ClauseKind.CHANGE_COLUMN);
    assertThat(c.oldName()).isEqualTo("old_name");
    assertThat(c.name()).isEqualTo("New");
    assertThat(c.column().type().text()).isEqualTo("BIGINT UNSIGNED");
    assertThat(c.column().notNull()).isFalse();
    assertThat(c.column().position()).isEqualTo(ColumnPosition.FIRST);
  }

  @Test
  void notNullInsideACheckOrDefaultExpressionIsNotTheColumnsNotNull() {
    AlterClause c = only("ADD COLUMN c INT DEFAULT (1) CHECK (c IS NOT NULL)");
    assertThat(c.column().notNull()).isFalse();
    assertThat(c.column().position().reorders()).isFalse();
  }

  @Test
  void typeSynonymsAreFolded() {
    assertThat(only("MODIFY c CHARACTER VARYING(10)").column().type().name()).isEqualTo("varchar");
    assertThat(only("MODIFY c INTEGER").column().type().name()).isEqualTo("int");
    assertThat(only("MODIFY c DOUBLE PRECISION").column().type().text()).isEqualTo("DOUBLE PRECISION");
    AlterClause serial = only("ADD COLUMN s SERIAL");
    assertThat(serial.column().unique()).isTrue();
    assertThat(serial.column().notNull()).isTrue();
  }

  @Test
  void indexModel() {
    AlterClause c = only("ADD UNIQUE KEY `u x` (a, b(10) DESC, (lower(c)))");
    assertThat(c.kind()).isEqualTo(ClauseKind.ADD_UNIQUE);
    assertThat(c.name()).isEqualTo("u x");
    assertThat(c.keyParts()).containsExactly("a", "b", "(lower(c))");
  }

  @Test
  void tableOptionModel() {
    List<AlterClause> options = alter("ENGINE=InnoDB ROW_FORMAT=DYNAMIC DEFAULT CHARACTER SET = utf8mb4, "
        + "COMMENT 'it''s'").clauses();
    assertThat(options).extracting(AlterClause::name)
        .containsExactly("ENGINE", "ROW_FORMAT", "CHARACTER SET", "COMMENT");
    assertThat(options).extracting(AlterClause::value).containsExactly("InnoDB", "DYNAMIC", "utf8mb4", "it's");
    assertThat(options).extracting(AlterClause::kind).containsOnly(ClauseKind.TABLE_OPTION);
  }

  @Test
  void renamedColumnsIgnoreCaseAndSkipCaseOnlyChanges() {
    AlterTableStatement s = alter("RENAME COLUMN a TO b, CHANGE `Cc` dd INT, CHANGE e E INT, RENAME COLUMN f TO F");
    assertThat(s.renamedColumns()).containsExactly(
        org.assertj.core.api.Assertions.entry("a", "b"), org.assertj.core.api.Assertions.entry("Cc", "dd"));
    assertThat(s.renamedColumns().get("A")).isEqualTo("b");
    assertThat(s.renamedColumns().get("cc")).isEqualTo("dd");
    assertThat(s.renamedColumns()).doesNotContainKey("e");
  }

  @Test
  void addedAndDroppedColumns() {
    AlterTableStatement s = alter("ADD COLUMN (x INT, y INT), DROP COLUMN z, ADD INDEX (x), DROP INDEX w");
    assertThat(s.addedColumns()).containsExactly("x", "y");
    assertThat(s.droppedColumns()).containsExactly("z");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "ADD UNIQUE INDEX u (a)               | true",
      "ADD CONSTRAINT u UNIQUE (a)          | true",
      "ADD COLUMN c INT UNIQUE              | true",
      "MODIFY c INT UNIQUE KEY              | true",
      "ADD COLUMN s SERIAL                  | true",
      "ADD INDEX i (a)                      | false",
      "ADD COLUMN c INT COMMENT 'UNIQUE'    | false",
      "ADD FULLTEXT INDEX f (a)             | false"})
  void addsUniqueIndex(String clauses, boolean expected) {
    assertThat(alter(clauses).addsUniqueIndex()).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "ADD COLUMN c INT FIRST                      | true",
      "MODIFY c INT AFTER b                        | true",
      "CHANGE a b INT AFTER `x y`                  | true",
      "ADD COLUMN c INT DEFAULT 0 COMMENT 'first'  | false",
      "ADD COLUMN c INT, MODIFY d INT              | false"})
  void reordersColumns(String clauses, boolean expected) {
    assertThat(alter(clauses).reordersColumns()).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "RENAME INDEX a TO b                                | true",
      "ALTER INDEX i INVISIBLE                            | true",
      "ALTER INDEX i VISIBLE, RENAME KEY a TO b           | true",
      "DROP INDEX i                                       | true",
      "DROP PARTITION p0, p1                              | true",
      "TRUNCATE PARTITION p0                              | true",
      "ADD PARTITION (PARTITION p9 VALUES LESS THAN (9))  | true",
      "COMMENT = 'new comment'                            | true",
      "MODIFY c VARCHAR(200)                              | true",
      "CHANGE c d VARCHAR(200) NULL DEFAULT 'x'           | true",
      "MODIFY c VARCHAR(200) NOT NULL                     | false",
      "MODIFY c VARCHAR(200) AFTER b                      | false",
      "MODIFY c TEXT                                      | false",
      "ADD INDEX i (a)                                    | false",
      "ENGINE=InnoDB                                      | false",
      "DROP INDEX i, ADD COLUMN c INT                     | false",
      "ADD COLUMN c INT                                   | false",
      "COALESCE PARTITION 2                               | false"})
  void inplaceWhitelist(String clauses, boolean expected) {
    assertThat(alter(clauses).isInplaceSafe()).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "ADD INDEX i (a)                                    | ADD_INDEX",
      "ADD COLUMN c INT, ADD UNIQUE KEY u (c)             | ADD_UNIQUE",
      "ADD FULLTEXT INDEX f (t), ADD SPATIAL INDEX s (g)  | ADD_FULLTEXT ADD_SPATIAL",
      "FORCE                                              | FORCE",
      "REMOVE PARTITIONING                                | PARTITION_REMOVE",
      "ADD COLUMN c INT                                   | ''",
      "MODIFY c TEXT                                      | ''",
      "DROP INDEX i                                       | ''"})
  void alwaysCopiedNamesOnlyTheClausesThatRebuild(String clauses, String kinds) {
    assertThat(alter(clauses).alwaysCopied().stream().map(c -> c.kind().name()).toList())
        .isEqualTo(kinds.isEmpty() ? List.of() : List.of(kinds.split(" ")));
  }

  @Test
  void alterTextKeepsTheOperatorsClausesWithoutComments() {
    AlterTableStatement s = alter("ADD COLUMN c INT NOT NULL DEFAULT 0 COMMENT 'a, /* b */' AFTER id /* why */,\n"
        + "  MODIFY d VARCHAR(10) FIRST -- trailing");
    assertThat(s.alterText())
        .isEqualTo("ADD COLUMN c INT NOT NULL DEFAULT 0 COMMENT 'a, /* b */' AFTER id, MODIFY d VARCHAR(10) FIRST");
    assertThat(s.statement()).contains("/* why */");
  }

  @Test
  void ghostShorthandGivesTheSameModelAsTheStatement() {
    AlterTableStatement shorthand = StatementParser.fromTableAndAlter("shop", "order items",
        "ADD COLUMN x INT AFTER id, DROP INDEX i");
    AlterTableStatement full = (AlterTableStatement) StatementParser.parse(
        "ALTER TABLE `order items` ADD COLUMN x INT AFTER id, DROP INDEX i", "shop");
    assertThat(shorthand.clauses()).isEqualTo(full.clauses());
    assertThat(shorthand.table()).isEqualTo("order items");
    assertThat(shorthand.schema()).isEqualTo("shop");
  }

  @Test
  void ghostShorthandRefusesAWholeStatementOrNothing() {
    assertThatThrownBy(() -> StatementParser.fromTableAndAlter("shop", "t", "ALTER TABLE t ADD COLUMN x INT"))
        .isInstanceOf(SpiritException.class).hasMessageContaining("--alter must hold only the clauses");
    assertThatThrownBy(() -> StatementParser.fromTableAndAlter("shop", "t", "  "))
        .isInstanceOf(SpiritException.class).hasMessageStartingWith("refusing to migrate `shop`.`t`: --alter is empty");
    assertThatThrownBy(() -> StatementParser.fromTableAndAlter("shop", "t", "ADD COLUMN x INT; DROP TABLE t"))
        .isInstanceOf(SpiritException.class).hasMessageContaining("statement 2 of 2 is not an ALTER TABLE");
  }

  @Test
  void ghostShorthandRefusesTheAltersOfSeveralTables() {
    assertThatThrownBy(() -> StatementParser.fromTableAndAlter("shop", "t", "ADD COLUMN x INT; ALTER TABLE u ADD y INT"))
        .isInstanceOf(SpiritException.class)
        .hasMessage("refusing to migrate `shop`.`t`: --alter holds more than one statement, but --table and --alter "
            + "describe the change of one table; pass the ALTERs of several tables together with --statement");
  }

  @Test
  void createIndexKeepsTheOperatorsStatementForResume() {
    AlterTableStatement s = (AlterTableStatement) StatementParser.parse("CREATE INDEX i ON t (a);", "shop");
    assertThat(s.statement()).isEqualTo("CREATE INDEX i ON t (a)");
    assertThat(s.table()).isEqualTo("t");
    assertThat(s.alterText()).isEqualTo("ADD INDEX i (a)");
  }

  @Test
  void directStatementsNameTheirTables() {
    DirectStatement rename = (DirectStatement) StatementParser.parse("RENAME TABLE a TO b, `c d` TO shop.e", "shop");
    assertThat(rename.tables()).containsExactly("a", "b", "c d", "e");
    DirectStatement create = (DirectStatement) StatementParser.parse(
        "CREATE TABLE t2 (id INT /*!80000 INVISIBLE */ PRIMARY KEY) /* keep */;", "shop");
    assertThat(create.statement()).isEqualTo("CREATE TABLE t2 (id INT /*!80000 INVISIBLE */ PRIMARY KEY) /* keep */");
  }

  @Test
  void aColumnDroppedAndAddedAgainIsANewColumn() {
    AlterTableStatement s = alter("DROP COLUMN c, ADD COLUMN C INT NOT NULL DEFAULT 47, ADD INDEX (v)");
    assertThat(s.recreatedColumns()).containsExactly("C");
    assertThat(alter("DROP COLUMN c, ADD COLUMN d INT").recreatedColumns()).isEmpty();
  }
}
