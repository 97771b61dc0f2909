package dev.spirit.statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spirit.error.ErrorCode;
import dev.spirit.error.SpiritException;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Several ALTER TABLEs in one {@code --statement}; the default schema is {@code shop}. */
class MultiTableAlterTest {

  private static final String NOT_AN_ALTER = " is not an ALTER TABLE, and several statements must all be ALTER TABLE"
      + " (or CREATE INDEX / DROP INDEX) because they run as one migration with one cutover that swaps in a shadow"
      + " table per table; run it separately, as its own --statement";

  private static MultiTableAlter multi(String sql) {
    return (MultiTableAlter) StatementParser.parse(sql, "shop");
  }

  private static AbstractThrowableAssert<?, ? extends Throwable> refused(String sql) {
    return assertThatThrownBy(() -> StatementParser.parse(sql, "shop"))
        .isInstanceOfSatisfying(SpiritException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.UNSUPPORTED_STATEMENT));
  }

  @Test
  void twoAltersOnDifferentTables() {
    String sql = "  ALTER TABLE a ADD COLUMN x INT, ADD INDEX ix (x);\n  ALTER TABLE `b` DROP COLUMN y /* old */ ;  ";
    MultiTableAlter m = multi(sql);
    assertThat(m.schema()).isEqualTo("shop");
    assertThat(m.statement())
        .isEqualTo("ALTER TABLE a ADD COLUMN x INT, ADD INDEX ix (x);\n  ALTER TABLE `b` DROP COLUMN y /* old */");
    assertThat(m.alters()).extracting(AlterTableStatement::table).containsExactly("a", "b");
    AlterTableStatement a = m.alters().get(0);
    assertThat(a.statement()).isEqualTo("ALTER TABLE a ADD COLUMN x INT, ADD INDEX ix (x)");
    assertThat(a.kinds()).containsExactly(ClauseKind.ADD_COLUMN, ClauseKind.ADD_INDEX);
    assertThat(a.alterText()).isEqualTo("ADD COLUMN x INT, ADD INDEX ix (x)");
    AlterTableStatement b = m.alters().get(1);
    assertThat(b.statement()).isEqualTo("ALTER TABLE `b` DROP COLUMN y /* old */");
    assertThat(b.kinds()).containsExactly(ClauseKind.DROP_COLUMN);
    assertThat(b.alterText()).isEqualTo("DROP COLUMN y");
    assertThat(b.schema()).isEqualTo("shop");
  }

  @Test
  void eachAlterIsWhatParsingItAloneGives() {
    String first = "ALTER TABLE a ADD COLUMN x INT NOT NULL DEFAULT 0 AFTER id";
    String second = "CREATE INDEX i ON b (c)";
    MultiTableAlter m = multi(first + ";" + second);
    assertThat(m.alters()).containsExactly((AlterTableStatement) StatementParser.parse(first, "shop"),
        (AlterTableStatement) StatementParser.parse(second, "shop"));
  }

  @Test
  void createAndDropIndexAreRewrittenToAlters() {
    MultiTableAlter m = multi("ALTER TABLE a ADD COLUMN x INT; CREATE UNIQUE INDEX u ON b (c); DROP INDEX i ON c");
    assertThat(m.alters()).extracting(AlterTableStatement::table).containsExactly("a", "b", "c");
    assertThat(m.alters()).extracting(AlterTableStatement::statement)
        .containsExactly("ALTER TABLE a ADD COLUMN x INT", "CREATE UNIQUE INDEX u ON b (c)", "DROP INDEX i ON c");
    assertThat(m.alters()).extracting(AlterTableStatement::alterText)
        .containsExactly("ADD COLUMN x INT", "ADD UNIQUE INDEX u (c)", "DROP INDEX i");
    assertThat(m.alters().get(1).kinds()).containsExactly(ClauseKind.ADD_UNIQUE);
    assertThat(m.alters().get(2).kinds()).containsExactly(ClauseKind.DROP_INDEX);
    assertThat(m.statement())
        .isEqualTo("ALTER TABLE a ADD COLUMN x INT; CREATE UNIQUE INDEX u ON b (c); DROP INDEX i ON c");
  }

  @Test
  void emptyStatementsAndTrailingSemicolonsAreSkipped() {
    MultiTableAlter m = multi("; ALTER TABLE a ADD x INT; ; /* nothing */ ; ALTER TABLE b ADD y INT;; ;\n");
    assertThat(m.alters()).extracting(AlterTableStatement::statement)
        .containsExactly("ALTER TABLE a ADD x INT", "ALTER TABLE b ADD y INT");
    assertThat(m.statement()).isEqualTo("; ALTER TABLE a ADD x INT; ; /* nothing */ ; ALTER TABLE b ADD y INT");
  }

  @Test
  void aSemicolonInAStringANameOrACommentDoesNotSplit() {
    assertThat(StatementParser.parse("ALTER TABLE a ADD x VARCHAR(3) DEFAULT 'a;b' /* c; d */ -- e; f", "shop"))
        .isInstanceOf(AlterTableStatement.class);
    MultiTableAlter m = multi("ALTER TABLE a ADD COLUMN x VARCHAR(3) DEFAULT 'a;b' COMMENT \"c;d\" /* e; f */ -- g; h\n"
        + "; ALTER TABLE `b;c` ADD y INT # i; j");
    assertThat(m.alters()).extracting(AlterTableStatement::table).containsExactly("a", "b;c");
    assertThat(m.alters().get(0).alterText()).isEqualTo("ADD COLUMN x VARCHAR(3) DEFAULT 'a;b' COMMENT \"c;d\"");
    assertThat(m.alters().get(0).statement())
        .isEqualTo("ALTER TABLE a ADD COLUMN x VARCHAR(3) DEFAULT 'a;b' COMMENT \"c;d\" /* e; f */ -- g; h");
    assertThat(m.alters().get(1).statement()).isEqualTo("ALTER TABLE `b;c` ADD y INT # i; j");
  }

  @Test
  void aSemicolonInsideAnExecutableCommentSplitsIt() {
    refused("ALTER TABLE a ADD x INT /*!80000 ; */; ALTER TABLE b ADD y INT")
        .hasMessage("refusing statement `ALTER TABLE a ADD x INT /*!80000`: it could not be parsed: an executable "
            + "comment /*! … is not closed with */; check the statement's syntax");
  }

  @Test
  void anUnclosedStringIsRefusedForTheWholeText() {
    refused("ALTER TABLE a ADD x INT DEFAULT 'x; ALTER TABLE b ADD y INT")
        .hasMessageStartingWith("refusing statement `ALTER TABLE a ADD x INT DEFAULT 'x; ALTER TABLE b ADD y INT`: "
            + "it could not be parsed: a string literal starting with ' is not closed");
  }

  @Test
  void qualifiedNamesInTheDatabaseAreAccepted() {
    MultiTableAlter m = multi("ALTER TABLE shop.a ADD x INT; ALTER TABLE `shop`.`b` ADD y INT; "
        + "CREATE INDEX i ON shop.c (z)");
    assertThat(m.alters()).extracting(AlterTableStatement::table).containsExactly("a", "b", "c");
    assertThat(m.alters()).extracting(AlterTableStatement::schema).containsOnly("shop");
  }

  @Test
  void aTableInAnotherSchemaIsRefused() {
    refused("ALTER TABLE a ADD x INT; ALTER TABLE other.b ADD y INT")
        .hasMessage("refusing statement `ALTER TABLE other.b ADD y INT`: schema name in statement (`other`.`b`) "
            + "does not match --database (`shop`); pass --database other, or leave the table name unqualified");
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(delimiter = '|', value = {
      "ALTER TABLE a ADD x INT; CREATE TABLE t2 (id INT PRIMARY KEY) | 2 of 2 | CREATE TABLE t2 (id INT PRIMARY KEY)",
      "RENAME TABLE a TO a_old; ALTER TABLE b ADD y INT              | 1 of 2 | RENAME TABLE a TO a_old",
      "ALTER TABLE a ADD x INT; ALTER TABLE b ADD y INT; DROP TABLE c | 3 of 3 | DROP TABLE c",
      "ALTER TABLE a ADD x INT; CREATE TEMPORARY TABLE c (id INT)     | 2 of 2 | CREATE TEMPORARY TABLE c (id INT)",
      "ALTER TABLE a ADD x INT; SELECT 1                              | 2 of 2 | SELECT 1",
      "ALTER TABLE a ADD x INT; ALTER VIEW v AS SELECT 1              | 2 of 2 | ALTER VIEW v AS SELECT 1",
      "ALTER TABLE a ADD x INT; ALTER                                 | 2 of 2 | ALTER"})
  void anythingButAnAlterIsRefusedInAList(String sql, String position, String offending) {
    refused(sql).hasMessage("refusing statement `" + offending + "`: statement " + position + NOT_AN_ALTER);
  }

  @Test
  void theMixIsRefusedBeforeTheAltersAreChecked() {
    refused("ALTER TABLE a DROP PRIMARY KEY; DROP TABLE b")
        .hasMessageStartingWith("refusing statement `DROP TABLE b`: statement 2 of 2 is not an ALTER TABLE");
  }

  @Test
  void theSameTableTwiceIsRefused() {
    String message = "refusing to migrate `shop`.`t`: `t` is altered by 2 statements, but each table is copied into"
        + " one shadow table by one ALTER; put all of its clauses in one ALTER TABLE";
    refused("ALTER TABLE t ADD x INT; ALTER TABLE u ADD z INT; ALTER TABLE shop.t ADD y INT").hasMessage(message);
    refused("CREATE INDEX i ON `t` (a); ALTER TABLE t DROP COLUMN x").hasMessage(message);
    refused("ALTER TABLE t ADD x INT; DROP INDEX i ON t; ALTER TABLE `shop`.`t` ADD y INT")
        .hasMessageContaining("`t` is altered by 3 statements");
  }

  @Test
  void namesDifferingOnlyInCaseAreLeftToTheRunner() {
    assertThat(multi("ALTER TABLE t ADD x INT; ALTER TABLE T ADD y INT").alters())
        .extracting(AlterTableStatement::table).containsExactly("t", "T");
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(delimiter = '|', value = {
      "ALTER TABLE a ADD x INT; ALTER TABLE b DROP PRIMARY KEY      | refusing to migrate `shop`.`b`: dropping the "
          + "primary key",
      "ALTER TABLE a ADD x INT, ALGORITHM=INPLACE; ALTER TABLE b ADD y INT | refusing to migrate `shop`.`a`: "
          + "ALGORITHM= and LOCK= clauses are not allowed",
      "ALTER TABLE a ADD x INT; ALTER IGNORE TABLE b ADD y INT      | refusing statement `ALTER IGNORE TABLE b ADD y "
          + "INT`: ALTER IGNORE TABLE is not supported",
      "ALTER TABLE a ADD x INT; ALTER TABLE b                       | refusing to migrate `shop`.`b`: the ALTER "
          + "TABLE has no clauses",
      "ALTER TABLE a ADD x INT; ALTER TABLE b ADD c DECIMAL(10,2    | refusing to migrate `shop`.`b`: the statement "
          + "`ALTER TABLE b ADD c DECIMAL(10,2` could not be parsed: a parenthesis is not closed",
      "ALTER TABLE a ADD x INT; CREATE INDEX i ON b                 | refusing statement `CREATE INDEX i ON b`: it "
          + "could not be parsed: expected the index's column list"})
  void eachStatementKeepsItsOwnRefusals(String sql, String message) {
    refused(sql).hasMessageStartingWith(message);
  }
}
