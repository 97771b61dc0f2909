package dev.spirit.migration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spirit.table.ChunkerIT;
import dev.spirit.testing.MirroredWriters;
import dev.spirit.testing.ServerTest;
import dev.spirit.testing.ServerVariant;
import dev.spirit.testing.TestDatabase;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every kind of primary key InnoDB accepts, migrated under mirrored writers that update rows, move them to other
 * keys (changing the key columns), insert and delete. Each row also has a unique number {@code n}, from which its
 * key is computed, so the writers can find rows and make keys without knowing the type. The expectation is the
 * writers' mirror table.
 */
class MigrateKeyTypesIT {
  private static final int ROWS = 2000;

  /** One key column: its definition and its value as an SQL expression of the row's number, {@code {n}}. */
  private record KeyColumn(String definition, String valueOfN) {
    String name() {
      return definition.substring(0, definition.indexOf(' '));
    }

    String valueOf(String n) {
      return valueOfN.replace("{n}", "(" + n + ")");
    }
  }

  private static KeyColumn key(String definition, String valueOfN) {
    return new KeyColumn(definition, valueOfN);
  }

  private static void migrateKeyedBy(TestDatabase db, String table, String alter, KeyColumn... keys)
      throws Exception {
    List<KeyColumn> columns = List.of(keys);
    String names = columns.stream().map(KeyColumn::name).collect(Collectors.joining(", "));
    Function<String, String> values = n -> columns.stream().map(k -> k.valueOf(n)).collect(Collectors.joining(", "))
        + ", " + n + ", " + DATETIME_OF_N.replace("{n}", "(" + n + ")");
    db.execute("DROP TABLE IF EXISTS " + table, "DROP TABLE IF EXISTS " + table + "_mirror",
        "CREATE TABLE " + table + " (" + columns.stream().map(KeyColumn::definition).collect(Collectors.joining(", "))
            + ", n INT NOT NULL, dt DATETIME NULL, v INT NOT NULL, s VARCHAR(20), PRIMARY KEY (" + names + "),"
            + " UNIQUE KEY (n))",
        "CREATE TABLE " + table + "_mirror LIKE " + table);
    MirroredWriters.executeOnBoth(db, table, table + "_mirror", List.of(), "INSERT INTO {t} (" + names
        + ", n, dt, v, s) SELECT " + values.apply("seq") + ", seq % 100, CONCAT('r', seq) FROM ("
        + ChunkerIT.numbers(ROWS) + ") x");
    Function<Random, String> dml = r -> {
      int n = 1 + r.nextInt(ROWS * 2);
      int fresh = ROWS * 2 + r.nextInt(ROWS * 2);
      String assign = columns.stream().map(k -> k.name() + " = " + k.valueOf(Integer.toString(fresh)))
          .collect(Collectors.joining(", "));
      return switch (r.nextInt(8)) {
        case 0, 1, 2 -> "UPDATE {t} SET v = v + 1, s = 'upd' WHERE n = " + n;
        case 3, 4 -> "UPDATE {t} SET " + assign + ", n = " + fresh + " WHERE n = " + n;
        case 5 -> "DELETE FROM {t} WHERE n = " + n;
        default -> "INSERT INTO {t} (" + names + ", n, dt, v, s) VALUES (" + values.apply(Integer.toString(fresh))
            + ", 1, 'ins')";
      };
    };
    MigrateIT.Run run = MigrateTypesIT.migrateUnderWrites(db, table, table + "_mirror", List.of(), dml,
        "ALTER TABLE " + table + " " + alter);
    MirroredWriters.assertSameContent(db, table, table + "_mirror");
    assertThat(run.err()).contains("by shadow table copy");
  }

  private static final String ALTER = "ADD COLUMN extra INT NOT NULL DEFAULT 7, ADD INDEX (v)";
  private static final String DATETIME_OF_N = "TIMESTAMP('2010-01-01 00:30:00') + INTERVAL {n} HOUR";

  @ServerTest
  void date(TestDatabase db) throws Exception {
    migrateKeyedBy(db, "k_date", ALTER, key("k DATE NOT NULL", "DATE('1990-01-01') + INTERVAL {n} DAY"));
  }

  @ServerTest
  void datetimeWithMicroseconds(TestDatabase db) throws Exception {
    migrateKeyedBy(db, "k_datetime", ALTER, key("k DATETIME(6) NOT NULL",
        "TIMESTAMP('2001-02-03 04:05:06') + INTERVAL {n} * 1000003 MICROSECOND"));
  }

  /** In UTC sessions, and on the non-UTC server too (its sessions are still UTC: nothing converts). */
  @ServerTest(variants = {ServerVariant.STANDARD, ServerVariant.LOWER_CASE_NAMES_NON_UTC})
  void timestampWithMilliseconds(TestDatabase db) throws Exception {
    migrateKeyedBy(db, "k_timestamp", ALTER, key("k TIMESTAMP(3) NOT NULL",
        "FROM_UNIXTIME(1500000000 + {n} * 61 + 0.125)"));
  }

  /** A TIMESTAMP key while another column converts: the sessions run in the server's (fixed-offset) zone. */
  @ServerTest(variants = {ServerVariant.STANDARD, ServerVariant.LOWER_CASE_NAMES_NON_UTC})
  void timestampKeyWhileAColumnConvertsInTheServersZone(TestDatabase db) throws Exception {
    migrateKeyedBy(db, "k_tsconv", "MODIFY dt TIMESTAMP NULL, ADD INDEX (v)", key("k TIMESTAMP(3) NOT NULL",
        "FROM_UNIXTIME(1500000000 + {n} * 61 + 0.125)"));
  }

  @ServerTest
  void timeIncludingNegativeAndFractional(TestDatabase db) throws Exception {
    migrateKeyedBy(db, "k_time", ALTER, key("k TIME(2) NOT NULL", "SEC_TO_TIME({n} * 37.25 - 100000)"));
  }

  @ServerTest
  void yearInACompositeKey(TestDatabase db) throws Exception {
    migrateKeyedBy(db, "k_year", ALTER, key("y YEAR NOT NULL", "1901 + {n} % 255"),
        key("id INT NOT NULL", "{n}"));
  }

  @ServerTest
  void decimal(TestDatabase db) throws Exception {
    migrateKeyedBy(db, "k_decimal", ALTER, key("k DECIMAL(14,4) NOT NULL", "{n} * 1.0625 - 5000"));
  }

  @ServerTest
  void enumInACompositeKey(TestDatabase db) throws Exception {
    migrateKeyedBy(db, "k_enum", ALTER,
        key("e ENUM('zz','yy','xx') NOT NULL", "ELT(1 + {n} % 3, 'zz', 'yy', 'xx')"),
        key("id INT NOT NULL", "{n}"));
  }

  @ServerTest
  void setInACompositeKey(TestDatabase db) throws Exception {
    migrateKeyedBy(db, "k_set", ALTER, key("st SET('c','b','a') NOT NULL", "{n} % 8"),
        key("id INT NOT NULL", "{n}"));
  }

  @ServerTest
  void bit(TestDatabase db) throws Exception {
    migrateKeyedBy(db, "k_bit", ALTER, key("b BIT(14) NOT NULL", "{n}"));
  }

  @ServerTest
  void tinyintOneInACompositeKey(TestDatabase db) throws Exception {
    migrateKeyedBy(db, "k_flag", ALTER, key("flag TINYINT(1) NOT NULL", "{n} % 2"),
        key("id INT NOT NULL", "{n}"));
  }

  @ServerTest
  void floatWithExactBinaryValues(TestDatabase db) throws Exception {
    migrateKeyedBy(db, "k_float", ALTER, key("f FLOAT NOT NULL", "{n} / 8"));
  }

  @ServerTest
  void doubleWithInexactValues(TestDatabase db) throws Exception {
    migrateKeyedBy(db, "k_double", ALTER, key("d DOUBLE NOT NULL", "{n} / 10"));
  }

  /** The common key of a partitioned table; updates move rows in time. */
  @ServerTest
  void idAndCreatedAt(TestDatabase db) throws Exception {
    migrateKeyedBy(db, "k_idtime", ALTER, key("id BIGINT NOT NULL", "{n} DIV 3"),
        key("created_at DATETIME NOT NULL", "TIMESTAMP('2020-01-01') + INTERVAL {n} MINUTE"));
  }
}
