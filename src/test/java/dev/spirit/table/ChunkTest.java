package dev.spirit.table;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChunkTest {
  private static final Column ID = new Column("id", 1, "int", "int", false, false, null, null);
  private static final Column A = new Column("a", 1, "bigint", "bigint unsigned", false, false, null, null);
  private static final Column B = new Column("b", 2, "varchar", "varchar(10)", false, false, "utf8mb4", "x");
  private static final Column C = new Column("c", 3, "int", "int", false, false, null, null);

  @Test
  void singleColumnRangeConditions() {
    assertThat(new Chunk(0, null, List.of(10), 10).condition(List.of(ID))).isEqualTo("(`id` < ?)");
    assertThat(new Chunk(1, List.of(10), List.of(20), 10).condition(List.of(ID)))
        .isEqualTo("(`id` >= ?) AND (`id` < ?)");
    assertThat(new Chunk(2, List.of(20), null, 10).condition(List.of(ID))).isEqualTo("(`id` >= ?)");
    assertThat(new Chunk(0, null, null, 10).condition(List.of(ID))).isEqualTo("1=1");
  }

  @Test
  void compositeConditionsExpandWithoutRowConstructors() {
    assertThat(KeyComparison.tupleCondition(List.of(A, B, C), ">="))
        .isEqualTo("(`a` > ? OR (`a` = ? AND `b` > ?) OR (`a` = ? AND `b` = ? AND `c` >= ?))");
    assertThat(KeyComparison.tupleCondition(List.of(A, B), "<"))
        .isEqualTo("(`a` < ? OR (`a` = ? AND `b` < ?))");
    assertThat(KeyComparison.placeholders(3)).isEqualTo(6);
    assertThat(KeyComparison.placeholders(1)).isEqualTo(1);
  }

  @Test
  void quotesIdentifiersWithBackticks() {
    Column odd = new Column("we`ird name", 1, "int", "int", false, false, null, null);
    assertThat(KeyComparison.tupleCondition(List.of(odd), "<")).isEqualTo("(`we``ird name` < ?)");
  }

  @Test
  void integerTuplesCompareAcrossJavaTypes() {
    assertThat(KeyComparison.compareIntegerTuples(List.of(5L, 1), List.of(5, 2))).isNegative();
    assertThat(KeyComparison.compareIntegerTuples(List.of(6), List.of(5L))).isPositive();
    assertThat(KeyComparison.compareIntegerTuples(
        List.of(new BigInteger("18446744073709551615")), List.of(Long.MAX_VALUE))).isPositive();
    assertThat(KeyComparison.compareIntegerTuples(Arrays.asList(3, 3), List.of(3L, 3L))).isZero();
    assertThatThrownBy(() -> KeyComparison.compareIntegerTuples(List.of("a"), List.of("b")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void helperNamesFitSixtyFourCharacters() {
    assertThat(Identifiers.helperName("orders", "_new")).isEqualTo("_orders_new");
    String longName = "x".repeat(64);
    assertThat(Identifiers.helperName(longName, "_old_20261127_101010")).hasSize(64).startsWith("_xxx")
        .endsWith("_old_20261127_101010");
  }

  @Test
  void sizerStartsFromTheByteBudgetAndShrinksOnSlowChunks() {
    ChunkSizer sizer = new ChunkSizer(16L << 20, 200, Duration.ofSeconds(2));
    assertThat(sizer.rowsPerChunk()).isEqualTo(83_886);
    sizer.feedback(83_886, 83_886, Duration.ofSeconds(8));
    assertThat(sizer.rowsPerChunk()).isEqualTo(20_971);
    sizer.feedback(83_886, 83_886, Duration.ofSeconds(8)); // stale feedback is ignored
    assertThat(sizer.rowsPerChunk()).isEqualTo(20_971);
    sizer.feedback(20_971, 20_971, Duration.ofMillis(100));
    assertThat(sizer.rowsPerChunk()).isEqualTo(31_456);
  }

  @Test
  void sizerStaysWithinBounds() {
    assertThat(new ChunkSizer(1L << 40, 1, Duration.ofSeconds(1)).rowsPerChunk()).isEqualTo(ChunkSizer.MAX_ROWS);
    ChunkSizer tiny = new ChunkSizer(1000, 1000, Duration.ofSeconds(1));
    assertThat(tiny.rowsPerChunk()).isEqualTo(ChunkSizer.MIN_ROWS);
    tiny.feedback(ChunkSizer.MIN_ROWS, 100, Duration.ofSeconds(100));
    assertThat(tiny.rowsPerChunk()).isEqualTo(ChunkSizer.MIN_ROWS);
  }
}
