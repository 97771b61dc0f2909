package dev.spirit.checkpoint;

import dev.spirit.db.BinlogPosition;
import dev.spirit.table.Identifiers;
import dev.spirit.table.TableInfo;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * {@code _<table>_chkpnt}: one row (id 1), replaced at every write. The age is computed by the server
 * ({@code written_at} against {@code NOW(6)}), so the tool's clock plays no part.
 */
public final class CheckpointTable {
  static final String COLUMNS = "copier_watermark, binlog_position, statement, original_table_name, copy_completed,"
      + " source_definition";

  private final String schema;
  private final String name;

  public CheckpointTable(String schema, String table) {
    this.schema = schema;
    this.name = Identifiers.helperName(table, "_chkpnt");
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

  public void write(Connection c, List<Object> watermark, BinlogPosition position, String statement,
      String originalTable, boolean copyCompleted, String sourceDefinition) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("REPLACE INTO " + quotedName() + " (id, " + COLUMNS
        + ", written_at) VALUES (1, ?, ?, ?, ?, ?, ?, NOW(6))")) {
      ps.setString(1, watermark == null ? null : WatermarkCodec.encode(watermark));
      ps.setString(2, Checkpoint.formatPosition(position));
      ps.setString(3, statement);
      ps.setString(4, originalTable);
      ps.setInt(5, copyCompleted ? 1 : 0);
      ps.setString(6, sourceDefinition);
      ps.executeUpdate();
    }
  }

  /**
   * The stored row, or empty when the table has none.
   *
   * @throws SQLException as the server reports it (1146: no table, 1054: another layout)
   * @throws IllegalArgumentException when the row's content cannot be read back
   */
  public Optional<Checkpoint> read(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT " + COLUMNS + ", TIMESTAMPDIFF(MICROSECOND, written_at, NOW(6))"
            + " FROM " + quotedName() + " WHERE id = 1")) {
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

  public boolean exists(Connection c) throws SQLException {
    return TableInfo.exists(c, schema, name);
  }

  public void drop(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("DROP TABLE IF EXISTS " + quotedName());
    }
  }
}
