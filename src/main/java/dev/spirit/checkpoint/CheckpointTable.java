package dev.spirit.checkpoint;

import dev.spirit.db.BinlogPosition;
import dev.spirit.table.Chunker;
import dev.spirit.table.Identifiers;
import dev.spirit.table.TableInfo;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * {@code _<table>_chkpnt}, named after the run's first table: one row per table of the run (ids 1 to N, in the run's
 * order), all replaced in one statement at every write, so they always hold one binlog position together. The age is
 * computed by the server ({@code written_at} against {@code NOW(6)}), so the tool's clock plays no part.
 */
public final class CheckpointTable {
  static final String COLUMNS = "copier_watermark, binlog_position, statement, original_table_name, copy_completed,"
      + " source_definition";

  private final String schema;
  private final String name;

  /** The checkpoint of a migration whose first table is {@code table}. */
  public CheckpointTable(String schema, String table) {
    this(schema, Identifiers.helperName(table, "_chkpnt"), true);
  }

  private CheckpointTable(String schema, String name, boolean exactName) {
    this.schema = schema;
    this.name = name;
  }

  /** A checkpoint table of this exact name, such as a move's {@code _spirit_move_checkpoint}. */
  public static CheckpointTable named(String schema, String name) {
    return new CheckpointTable(schema, name, true);
  }

  public String name() {
    return name;
  }

  public String quotedName() {
    return Identifiers.quote(schema, name);
  }

  /** Drops and creates the table, empty: a fresh start. */
  public void create(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("DROP TABLE IF EXISTS " + quotedName());
      s.execute("CREATE TABLE " + quotedName() + " (id INT NOT NULL PRIMARY KEY, copier_watermark MEDIUMTEXT NULL,"
          + " binlog_position VARCHAR(600) NOT NULL, statement MEDIUMTEXT NOT NULL, original_table_name VARCHAR(64)"
          + " NOT NULL, copy_completed TINYINT NOT NULL, source_definition MEDIUMTEXT NOT NULL,"
          + " written_at TIMESTAMP(6) NOT NULL)"
          + " DEFAULT CHARSET = utf8mb4");
    }
  }

  /**
   * Where one table's copy stands.
   *
   * @param watermark every key below it is copied; null once the copy completed
   * @param sourceDefinition the table's definition when the run started
   */
  public record TableState(String table, List<Object> watermark, boolean copyCompleted, String sourceDefinition) {

    /**
     * Where a table's copy stands: complete, or below the low watermark of {@code chunker}; null while none of its
     * ranges has completed (nothing to record yet).
     */
    public static TableState of(String table, Chunker chunker, boolean completed, String sourceDefinition) {
      List<Object> watermark = completed ? null : chunker.lowWatermark();
      return completed || watermark != null ? new TableState(table, watermark, completed, sourceDefinition) : null;
    }
  }

  /** Replaces every table's row, in one statement: the rows never disagree on the position. */
  public void write(Connection c, BinlogPosition position, String statement, List<TableState> tables)
      throws SQLException {
    String row = "(?, ?, ?, ?, ?, ?, ?, NOW(6))";
    try (PreparedStatement ps = c.prepareStatement("REPLACE INTO " + quotedName() + " (id, " + COLUMNS
        + ", written_at) VALUES " + String.join(", ", Collections.nCopies(tables.size(), row)))) {
      int i = 1;
      for (int id = 1; id <= tables.size(); id++) {
        TableState t = tables.get(id - 1);
        ps.setInt(i++, id);
        ps.setString(i++, t.watermark() == null ? null : WatermarkCodec.encode(t.watermark()));
        ps.setString(i++, Checkpoint.formatPosition(position));
        ps.setString(i++, statement);
        ps.setString(i++, t.table());
        ps.setInt(i++, t.copyCompleted() ? 1 : 0);
        ps.setString(i++, t.sourceDefinition());
      }
      ps.executeUpdate();
    }
  }

  /** Writes the row of a run of one table. */
  public void write(Connection c, List<Object> watermark, BinlogPosition position, String statement,
      String originalTable, boolean copyCompleted, String sourceDefinition) throws SQLException {
    write(c, position, statement, List.of(new TableState(originalTable, watermark, copyCompleted,
        sourceDefinition)));
  }

  /**
   * The first table's row (id 1), or empty when the table has none.
   *
   * @throws SQLException as the server reports it (1146: no table, 1054: another layout)
   * @throws IllegalArgumentException when the row's content cannot be read back
   */
  public Optional<Checkpoint> read(Connection c) throws SQLException {
    return read(c, 1);
  }

  /**
   * The row of the run's {@code index}-th table (from 1), or empty when the table has none.
   *
   * @throws SQLException as the server reports it (1146: no table, 1054: another layout)
   * @throws IllegalArgumentException when the row's content cannot be read back
   */
  public Optional<Checkpoint> read(Connection c, int index) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + ", TIMESTAMPDIFF(MICROSECOND, written_at,"
        + " NOW(6)) FROM " + quotedName() + " WHERE id = ?")) {
      ps.setInt(1, index);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        String watermark = rs.getString(1);
        boolean completed = rs.getInt(5) != 0;
        if (watermark == null && !completed) {
          throw new IllegalArgumentException("a checkpoint without a watermark before the copy completed");
        }
        return Optional.of(new Checkpoint(watermark == null ? null : WatermarkCodec.decode(watermark),
            Checkpoint.parsePosition(rs.getString(2)), rs.getString(3), rs.getString(4), completed,
            Duration.ofNanos(Math.max(0, rs.getLong(7)) * 1000), rs.getString(6)));
      }
    }
  }

  public boolean exists(Connection c) throws SQLException {
    return TableInfo.exists(c, schema, name);
  }

  public void drop(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("DROP TABLE IF EXISTS " + quotedName());
    }
  }
}
