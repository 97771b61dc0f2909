package dev.spirit.statement;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The current shape of the table being altered, as far as the refusal rules need it. Filled from
 * {@code information_schema} by the caller; this package never reads the database.
 *
 * @param schema the table's schema
 * @param table the table's name
 * @param columns the columns in ordinal order
 * @param primaryKey the primary key's column names in key order
 */
public record TableShape(String schema, String table, List<Column> columns, List<String> primaryKey) {

  /**
   * One column.
   *
   * @param name the column name
   * @param columnType {@code information_schema.COLUMNS.COLUMN_TYPE}, e.g. {@code enum('a','b')}, {@code int unsigned}
   * @param nullable {@code IS_NULLABLE = 'YES'}
   */
  public record Column(String name, String columnType, boolean nullable) {
    public Column {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(columnType, "columnType");
    }
  }

  public TableShape {
    Objects.requireNonNull(schema, "schema");
    Objects.requireNonNull(table, "table");
    columns = List.copyOf(columns);
    primaryKey = List.copyOf(primaryKey);
  }

  /** The column with this name, ignoring case as MySQL does. */
  public Optional<Column> column(String name) {
    return columns.stream().filter(c -> c.name().equalsIgnoreCase(name)).findFirst();
  }

  public boolean isPrimaryKeyColumn(String name) {
    return primaryKey.stream().anyMatch(k -> k.equalsIgnoreCase(name));
  }
}
