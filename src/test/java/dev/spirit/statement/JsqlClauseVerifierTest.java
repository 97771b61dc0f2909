package dev.spirit.statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spirit.error.SpiritException;
import java.util.List;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.statement.alter.Alter;
import net.sf.jsqlparser.statement.alter.AlterOperation;
import org.junit.jupiter.api.Test;

/**
 * The guard measured on its own: clauses whose spirit reading is deliberately wrong must be refused, and the
 * JSQLParser 5.4 behaviours the guard exists for are pinned, so an upgrade that changes them is noticed.
 */
class JsqlClauseVerifierTest {

  private static final Refusal REFUSAL = Refusal.forTable("shop", "t");

  private static ColumnDefinition intColumn(ColumnPosition position, boolean notNull) {
    return new ColumnDefinition(new ColumnType("INT", "int", List.of()), notNull, position, false, false, false,
        false);
  }

  @Test
  void aClauseThatSwallowsTheRestIsRefused() {
    // What JSQLParser does with an unknown clause mid-list: one UNSPECIFIC expression holding the rest.
    AlterClause swallowing = AlterClause.of(ClauseKind.FORCE, "FOO bar , ADD COLUMN y INT", null);
    assertThatThrownBy(() -> JsqlClauseVerifier.verify(swallowing, REFUSAL))
        .isInstanceOf(SpiritException.class)
        .hasMessageContaining("is opaque to JSQLParser");
  }

  @Test
  void twoClausesWhereSpiritReadOneAreRefused() {
    AlterClause two = AlterClause.of(ClauseKind.DROP_INDEX, "DROP INDEX i, DROP INDEX j", "i");
    assertThatThrownBy(() -> JsqlClauseVerifier.verify(two, REFUSAL))
        .hasMessageContaining("JSQLParser read 2 clauses in `DROP INDEX i, DROP INDEX j` where spirit read one");
  }

  @Test
  void aDifferentOperationIsRefused() {
    AlterClause wrongKind = AlterClause.column(ClauseKind.DROP_COLUMN, "DROP INDEX i", "i", null, null, false);
    assertThatThrownBy(() -> JsqlClauseVerifier.verify(wrongKind, REFUSAL))
        .hasMessageContaining("spirit and JSQLParser read clause `DROP INDEX i` differently");
  }

  @Test
  void differentNamesPositionsAndNotNullAreRefused() {
    String text = "ADD COLUMN c INT NOT NULL AFTER b";
    AlterClause right = AlterClause.column(ClauseKind.ADD_COLUMN, text, "c", null,
        intColumn(ColumnPosition.after("b"), true), false);
    assertThatCode(() -> JsqlClauseVerifier.verify(right, REFUSAL)).doesNotThrowAnyException();

    AlterClause wrongName = AlterClause.column(ClauseKind.ADD_COLUMN, text, "d", null,
        intColumn(ColumnPosition.after("b"), true), false);
    assertThatThrownBy(() -> JsqlClauseVerifier.verify(wrongName, REFUSAL)).hasMessageContaining("column name d versus c");

    AlterClause wrongPosition = AlterClause.column(ClauseKind.ADD_COLUMN, text, "c", null,
        intColumn(ColumnPosition.FIRST, true), false);
    assertThatThrownBy(() -> JsqlClauseVerifier.verify(wrongPosition, REFUSAL)).hasMessageContaining("position");

    AlterClause wrongNull = AlterClause.column(ClauseKind.ADD_COLUMN, text, "c", null,
        intColumn(ColumnPosition.after("b"), false), false);
    assertThatThrownBy(() -> JsqlClauseVerifier.verify(wrongNull, REFUSAL))
        .hasMessageContaining("NOT NULL read differently");
  }

  @Test
  void keyPartCountsMustAgree() {
    AlterClause wrong = AlterClause.index(ClauseKind.ADD_INDEX, "ADD INDEX i (a, b)", "i", List.of("a"));
    assertThatThrownBy(() -> JsqlClauseVerifier.verify(wrong, REFUSAL))
        .hasMessageContaining("2 key parts where spirit read 1");
  }

  @Test
  void partitionNamesMustAgree() {
    AlterClause wrong = AlterClause.partitions(ClauseKind.PARTITION_DROP, "DROP PARTITION p0, p1", List.of("p0"));
    assertThatThrownBy(() -> JsqlClauseVerifier.verify(wrong, REFUSAL))
        .hasMessageContaining("partitions [p0, p1] versus [p0]");
  }

  @Test
  void aParseFailureIsOneLineNamingTheClause() {
    AlterClause bad = AlterClause.index(ClauseKind.ADD_INDEX, "ADD INDEX i (a) NONSENSE", "i", List.of("a"));
    assertThatThrownBy(() -> JsqlClauseVerifier.verify(bad, REFUSAL))
        .hasMessageStartingWith("refusing to migrate `shop`.`t`: clause `ADD INDEX i (a) NONSENSE` could not be "
            + "parsed: JSQLParser: ")
        .hasMessageNotContaining("\n")
        .hasMessageNotContaining("Was expecting");
  }

  @Test
  void aTimeoutAndAMultiLineParserMessageBecomeOneLineReasons() {
    assertThat(JsqlClauseVerifier.parserReason(new net.sf.jsqlparser.JSQLParserException("Time out occurred.",
        new java.util.concurrent.TimeoutException()))).isEqualTo("JSQLParser timed out after 5000 ms");
    assertThat(JsqlClauseVerifier.parserReason(new net.sf.jsqlparser.JSQLParserException("outer",
        new net.sf.jsqlparser.parser.ParseException("Encountered: <K_IF> / \"IF\", at line 1\nWas expecting:\n  X"))))
        .isEqualTo("JSQLParser: Encountered: <K_IF> / \"IF\", at line 1");
  }

  @Test
  void probeTextWorksAroundKnownJsqlParserGaps() {
    assertThat(JsqlClauseVerifier.probeText(AlterClause.column(ClauseKind.ADD_COLUMN,
        "ADD COLUMN c INT COMMENT 'it\\'s'", "c", null, null, false)))
        .isEqualTo("ADD COLUMN c INT COMMENT 'it''s'");
    assertThat(JsqlClauseVerifier.probeText(AlterClause.of(ClauseKind.DROP_INDEX, "DROP INDEX IF EXISTS i", "i")
        .withConditional(true))).isEqualTo("DROP INDEX i");
    assertThat(JsqlClauseVerifier.probeText(AlterClause.of(ClauseKind.ADD_CHECK, "ADD CHECK (a > 0)", null)))
        .isEqualTo("ADD CONSTRAINT spirit_probe_constraint CHECK (a > 0)");
    assertThat(JsqlClauseVerifier.probeText(AlterClause.of(ClauseKind.ADD_PRIMARY_KEY,
        "ADD CONSTRAINT PRIMARY KEY (a)", "PRIMARY"))).isEqualTo("ADD  PRIMARY KEY (a)");
  }

  /** The JSQLParser 5.4 behaviours this package works around; if one changes, revisit the guard. */
  @Test
  void measuredJsqlParserGaps() throws Exception {
    Alter swallowed = (Alter) CCJSqlParserUtil.parse("ALTER TABLE t ADD COLUMN x INT, FOO bar, ADD COLUMN y INT");
    assertThat(swallowed.getAlterExpressions()).hasSize(2);
    assertThat(swallowed.getAlterExpressions().get(1).getOperation()).isEqualTo(AlterOperation.UNSPECIFIC);

    Alter folded = (Alter) CCJSqlParserUtil.parse("ALTER TABLE t ADD COLUMN c INT ALGORITHM=INPLACE");
    assertThat(folded.getAlterExpressions()).hasSize(1);
    assertThat(folded.getAlterExpressions().get(0).getColDataTypeList().get(0).getColumnSpecs())
        .contains("ALGORITHM");

    Alter opaque = (Alter) CCJSqlParserUtil.parse("ALTER TABLE t ROW_FORMAT=DYNAMIC");
    assertThat(opaque.getAlterExpressions().get(0).getOperation()).isEqualTo(AlterOperation.UNSPECIFIC);

    Alter versionComment = (Alter) CCJSqlParserUtil.parse(
        "ALTER TABLE t ADD COLUMN c INT /*!50100 , ADD COLUMN d INT */, ADD COLUMN e INT");
    assertThat(versionComment.getAlterExpressions()).hasSize(2);

    for (String gap : List.of("ALTER TABLE t DROP FOREIGN KEY fk", "ALTER TABLE t ADD CHECK (a > 0)",
        "ALTER TABLE t DROP CHECK c", "ALTER TABLE t DROP INDEX IF EXISTS i",
        "ALTER TABLE t ENGINE=InnoDB ROW_FORMAT=DYNAMIC", "ALTER TABLE t ADD INDEX i (a) ALGORITHM=INPLACE")) {
      assertThatThrownBy(() -> CCJSqlParserUtil.parse(gap)).as(gap)
          .isInstanceOf(net.sf.jsqlparser.JSQLParserException.class);
    }
  }

  @Test
  void theSameStatementsPassThroughSpirit() {
    for (String ok : List.of("ALTER TABLE t DROP CHECK c", "ALTER TABLE t ADD CHECK (a > 0)",
        "ALTER TABLE t DROP INDEX IF EXISTS i", "ALTER TABLE t ENGINE=InnoDB ROW_FORMAT=DYNAMIC",
        "ALTER TABLE t ROW_FORMAT=DYNAMIC")) {
      assertThatCode(() -> StatementParser.parse(ok, "shop")).as(ok).doesNotThrowAnyException();
    }
    AlterTableStatement wrapped = (AlterTableStatement) StatementParser.parse(
        "ALTER TABLE t ADD COLUMN c INT /*!50100 , ADD COLUMN d INT */, ADD COLUMN e INT", "shop");
    assertThat(wrapped.addedColumns()).containsExactly("c", "d", "e");
  }
}
