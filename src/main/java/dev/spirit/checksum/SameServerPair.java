package dev.spirit.checksum;

import dev.spirit.copier.Copier;
import dev.spirit.db.BackgroundPriority;
import dev.spirit.db.Retry;
import dev.spirit.db.SqlWarning;
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
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * A source table and its new table on one server: the statements that sum a key range on either side (completed by
 * appending the range's condition; identifiers may hold any character, '%' included), and the one that re-copies a
 * range, exactly as the copy did.
 */
public final class SameServerPair implements ChecksumPair {
  private final DataSource pool;
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
  public SameServerPair(DataSource pool, TableInfo source, TableInfo target, ColumnMapping mapping, long chunkRows,
      BackgroundPriority priority) {
    this.pool = pool;
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

  @Override
  public TableInfo source() {
    return source;
  }

  @Override
  public TableInfo target() {
    return target;
  }

  @Override
  public Chunker chunker() {
    return new Chunker(pool, source, new ChunkSizer(chunkRows, 1, Duration.ofSeconds(5)));
  }

  @Override
  public Sum sourceSum(Snapshot snapshot, Chunker chunker, Chunk chunk) throws SQLException {
    return sum(snapshot.source(), sourceSql, chunker, chunk);
  }

  @Override
  public Sum targetSum(Snapshot snapshot, Chunker chunker, Chunk chunk) throws SQLException {
    return sum(snapshot.target(), targetSql, chunker, chunk);
  }

  /** A range's row count and hash XOR, summed by {@code sql} (which ends in WHERE) on one session. */
  static Sum sum(Connection c, String sql, Chunker chunker, Chunk chunk) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql + chunk.condition(chunker.key()))) {
      chunk.bind(ps, 1);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return new Sum(rs.getLong(1), rs.getString(2));
      }
    }
  }

  /** A lost deadlock rolls the transaction back and runs it again. */
  @Override
  public List<String> repair(Chunker chunker, Chunk chunk) throws SQLException {
    return Retry.onLockConflict("repairing " + chunk + " of " + target.quotedName(), () -> repairOnce(chunker, chunk));
  }

  private List<String> repairOnce(Chunker chunker, Chunk chunk) throws SQLException {
    String condition = chunk.condition(chunker.key());
    List<String> duplicateKeys = new ArrayList<>();
    try (Connection c = pool.getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement delete = c.prepareStatement("DELETE FROM " + target.quotedName() + " WHERE "
              + condition);
          PreparedStatement copy = c.prepareStatement(repairSql + condition)) {
        chunk.bind(delete, 1);
        delete.executeUpdate();
        chunk.bind(copy, 1);
        copy.executeUpdate();
        for (SqlWarning w : SqlWarning.fetch(c)) {
          if (w.code() == SqlWarning.DUPLICATE_ENTRY && !w.isPrimaryKeyDuplicate()) {
            duplicateKeys.add(w.duplicateKeyName());
          } else if (!w.isPrimaryKeyDuplicate()) {
            throw w.asDataLoss(source.quotedName());
          }
        }
        c.commit();
        return duplicateKeys;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    }
  }
}
