package dev.spirit.statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spirit.error.ErrorCode;
import dev.spirit.error.SpiritException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Refusals that need the table: each rule with statements it accepts and statements it refuses. */
class TableShapeRulesTest {

  private static final TableShape ORDERS = new TableShape("shop", "orders", List.of(
      new TableShape.Column("id", "bigint unsigned", false),
      new TableShape.Column("Tenant", "int", false),
      new TableShape.Column("note", "varchar(255)", true),
      new TableShape.Column("status", "enum('new','paid','shipped')", false),
      new TableShape.Column("tags", "set('red','green')", true),
      new TableShape.Column("qty", "int", true)),
      List.of("id", "Tenant"));

  private static void check(String clauses) {
    AlterTableStatement stmt = (AlterTableStatement) StatementParser.parse("ALTER TABLE orders " + clauses, "shop");
    TableShapeRules.check(stmt, ORDERS);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
      // primary key
      "RENAME COLUMN id TO order_id               | renaming primary key column `id` is not supported",
      "CHANGE tenant tenant_id INT                | renaming primary key column `tenant`",
      "DROP COLUMN id                             | dropping column `id` removes it from the primary key",
      "ADD PRIMARY KEY (id)                       | `ADD PRIMARY KEY (id)` adds a primary key",
      "ADD COLUMN uuid BINARY(16) PRIMARY KEY     | declares PRIMARY KEY",
      "MODIFY qty INT KEY                         | declares PRIMARY KEY",
      // ENUM
      "MODIFY status ENUM('paid','new','shipped') | unsafe ENUM value reorder: the kept values [new, paid, shipped]",
      "MODIFY status ENUM('new','late','paid','shipped') | the new value 'late' is inserted before the existing value 'paid'",
      "MODIFY status ENUM('new','shipped','paid') | unsafe ENUM value reorder",
      "MODIFY status INT                          | converting ENUM to INT",
      "MODIFY status DATETIME                     | converting ENUM to DATETIME",
      "CHANGE status state JSON                   | converting ENUM to JSON",
      // SET
      "MODIFY tags SET('green','red')             | unsafe SET value reorder",
      "MODIFY tags SET('red','blue','green')      | unsafe SET value reorder",
      "MODIFY tags SET('red')                     | unsafe SET value reorder",
      "MODIFY tags ENUM('red','green')            | converting SET to ENUM",
      "MODIFY tags BIGINT                         | converting SET to BIGINT",
      // existence
      "MODIFY missing INT                         | column `missing` named in `MODIFY missing INT` does not exist",
      "CHANGE missing other INT                   | column `missing` named in",
      "DROP COLUMN missing                        | column `missing` named in `DROP COLUMN missing` does not exist",
      "RENAME COLUMN missing TO other             | column `missing` named in",
      "ALTER COLUMN missing SET DEFAULT 1         | column `missing` named in",
      "ADD COLUMN NOTE TEXT                       | column `NOTE` already exists",
      "RENAME COLUMN note TO qty                  | collides with the existing column `qty`",
      "CHANGE note qty TEXT                       | collides with the existing column `qty`"})
  void refused(String clauses, String fragment) {
    assertThatThrownBy(() -> check(clauses))
        .isInstanceOfSatisfying(SpiritException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.UNSUPPORTED_STATEMENT))
        .hasMessageStartingWith("refusing to migrate `shop`.`orders`: ")
        .hasMessageContaining(fragment);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
      // primary key: type changes, case-only renames and other columns are fine
      "MODIFY id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT",
      "CHANGE id ID BIGINT UNSIGNED NOT NULL",
      "RENAME COLUMN Tenant TO tenant",
      "RENAME COLUMN note TO remark",
      "ADD COLUMN extra INT, ADD INDEX (extra)",
      // ENUM: append, drop anywhere, convert to strings or SET
      "MODIFY status ENUM('new','paid','shipped','returned')",
      "MODIFY status ENUM('new','shipped')",
      "MODIFY status ENUM('paid','shipped','lost')",
      "MODIFY status VARCHAR(20)",
      "MODIFY status TEXT",
      "MODIFY status CHAR(10)",
      "MODIFY status BLOB",
      "MODIFY status SET('new','paid','shipped')",
      // SET: append only, or to strings
      "MODIFY tags SET('red','green','blue')",
      "MODIFY tags SET('red','green')",
      "MODIFY tags VARCHAR(100)",
      // non-ENUM columns may become ENUM
      "MODIFY note ENUM('a','b')",
      // existence, with MariaDB's IF [NOT] EXISTS
      "DROP COLUMN IF EXISTS missing",
      "ADD COLUMN IF NOT EXISTS note TEXT",
      "MODIFY QTY BIGINT",
      "DROP COLUMN qty, CHANGE note qty TEXT",
      "ALTER COLUMN qty SET DEFAULT 1, ALTER INDEX i INVISIBLE"})
  void accepted(String clauses) {
    assertThatCode(() -> check(clauses)).doesNotThrowAnyException();
  }

  @Test
  void theShapeMustBeTheStatementsTable() {
    AlterTableStatement stmt = (AlterTableStatement) StatementParser.parse("ALTER TABLE other ADD COLUMN c INT", "shop");
    assertThatThrownBy(() -> TableShapeRules.check(stmt, ORDERS)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void columnTypesFromInformationSchemaParse() {
    ColumnType e = ColumnType.parse("enum('a','it''s','b,c')");
    assertThat(e.isEnum()).isTrue();
    assertThat(e.values()).containsExactly("a", "it's", "b,c");
    assertThat(ColumnType.parse("int unsigned").name()).isEqualTo("int");
    assertThat(ColumnType.parse("decimal(10,2) unsigned zerofill").text()).isEqualTo("decimal(10,2) unsigned zerofill");
    assertThat(ColumnType.parse("varbinary(16)").isCharacterOrBinaryString()).isTrue();
    assertThat(ColumnType.parse("json").isCharacterOrBinaryString()).isFalse();
    assertThatThrownBy(() -> ColumnType.parse("enum(1,2)")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be quoted strings");
  }
}
