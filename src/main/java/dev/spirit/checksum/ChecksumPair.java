package dev.spirit.checksum;

import dev.spirit.copier.Copier;
import dev.spirit.db.BackgroundPriority;
import dev.spirit.table.Chunk;
import dev.spirit.table.Chunker;
import dev.spirit.table.ChunkSizer;
import dev.spirit.table.ColumnMapping;
import dev.spirit.table.TableInfo;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import javax.sql.DataSource;

/**
 * One source table and its new table, as the checksum compares them: the statements that sum a key range on either
 * side (completed by appending the range's condition; identifiers may hold any character, '%' included), and the one
 * that re-copies a range.
 */
public final class ChecksumPair {
  private final TableInfo source;
  private final TableInfo target;
  private final long chunkRows;
  private final String sourceSql;
  private final String targetSql;
  private final String repairSql;

  /**
   * @param chunkRows how many rows one compared range holds at first (the chunker sizes ranges by rows here)
   * @param priority the CPU priority of the comparing reads; repairs keep normal priority
   */
  public ChecksumPair(TableInfo source, TableInfo target, ColumnMapping mapping, long chunkRows,
      BackgroundPriority priority) {
    this.source = source;
    this.target = target;
    this.chunkRows = Math.max(1, chunkRows);
    this.sourceSql = priority.after("SELECT") + "COUNT(*), COALESCE(BIT_XOR("
        + ChecksumExpressions.sourceRowHash(mapping) + "), 0) FROM " + source.quotedName()
        + " FORCE INDEX (PRIMARY) WHERE ";
    this.targetSql = priority.after("SELECT") + "COUNT(*), COALESCE(BIT_XOR("
        + ChecksumExpressions.targetRowHash(mapping) + "), 0) FROM " + target.quotedName()
        + " FORCE INDEX (PRIMARY) WHERE ";
    this.repairSql = Copier.copySql(source, target, mapping, BackgroundPriority.normal("repair"));
  }

  public TableInfo source() {
    return source;
  }

  public TableInfo target() {
    return target;
  }

  /** A fresh chunker over the source for one pass. */
  Chunker chunker(DataSource pool) {
    return new Chunker(pool, source, new ChunkSizer(chunkRows, 1, Duration.ofSeconds(5)));
  }

  String repairSql() {
    return repairSql;
  }

  /** A chunk's row count and the XOR of its rows' hashes (an unsigned 64-bit value, kept as its digits). */
  record Sum(long rows, String hash) {}

  Sum sourceSum(Connection snapshot, Chunker chunker, Chunk chunk) throws SQLException {
    return sum(snapshot, sourceSql, chunker, chunk);
  }

  Sum targetSum(Connection snapshot, Chunker chunker, Chunk chunk) throws SQLException {
    return sum(snapshot, targetSql, chunker, chunk);
  }

  private static Sum sum(Connection c, String sql, Chunker chunker, Chunk chunk) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql + chunk.condition(chunker.key()))) {
      chunk.bind(ps, 1);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return new Sum(rs.getLong(1), rs.getString(2));
      }
    }
  }
}
