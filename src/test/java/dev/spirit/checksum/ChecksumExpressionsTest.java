package dev.spirit.checksum;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spirit.table.Column;
import dev.spirit.table.ColumnMapping;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChecksumExpressionsTest {
  private static Column column(String name, String type, boolean nullable, String charset) {
    String bare = type.replaceAll("[ (].*", "");
    return new Column(name, 1, bare, type, nullable, false, charset, charset == null ? null : charset + "_bin");
  }

  private static String hash(Column source, Column target) {
    return ChecksumExpressions.sourceRowHash(new ColumnMapping(List.of(new ColumnMapping.Pair(source, target))));
  }

  @Test
  void aNotNullNumberIsHashedAsItsTextAlone() {
    Column k = column("k", "int", false, null);
    assertThat(hash(k, k)).isEqualTo(
        "CAST(CONV(LEFT(MD5(CONCAT_WS('#', IFNULL(CAST(`k` AS SIGNED), ''))), 16), 16, 10) AS UNSIGNED)");
  }

  @Test
  void aNullableColumnIsMarkedOnBothSidesWhenEitherIsNullable() {
    Column notNull = column("k", "int", false, null);
    Column nullable = column("k", "int", true, null);
    assertThat(hash(notNull, nullable)).contains("ISNULL(`k`), IFNULL(CAST(`k` AS SIGNED), '')");
    assertThat(ChecksumExpressions.targetRowHash(new ColumnMapping(List.of(
        new ColumnMapping.Pair(notNull, nullable))))).contains("ISNULL(`k`)");
  }

  @Test
  void textInOneCharacterSetIsComparedAsItsBytesWithItsLength() {
    Column c = column("c", "char(120)", false, "utf8mb4");
    assertThat(hash(c, column("c", "varchar(200)", false, "utf8mb4")))
        .contains("LENGTH(IFNULL(CAST(`c` AS BINARY), '')), IFNULL(CAST(`c` AS BINARY), '')")
        .doesNotContain("CHARACTER SET");
  }

  @Test
  void textChangingItsCharacterSetIsComparedInTheNewOne() {
    assertThat(hash(column("c", "varchar(10)", false, "latin1"), column("c", "varchar(10)", false, "utf8mb4")))
        .contains("LENGTH(IFNULL(CAST(`c` AS CHAR CHARACTER SET utf8mb4), ''))");
  }

  @Test
  void valuesWhoseTextMayHoldTheSeparatorKeepTheirLength() {
    for (String type : List.of("json", "blob", "varbinary(8)", "binary(4)", "year", "point")) {
      Column c = column("v", type, false, null);
      assertThat(ChecksumExpressions.hasSeparatorFreeText(new ColumnMapping.Pair(c, c))).as(type).isFalse();
    }
    for (String type : List.of("bigint unsigned", "decimal(10,2)", "double", "float", "date", "datetime(6)",
        "timestamp", "time(3)", "bit(8)")) {
      Column c = column("v", type, false, null);
      assertThat(ChecksumExpressions.hasSeparatorFreeText(new ColumnMapping.Pair(c, c))).as(type).isTrue();
    }
  }
}
