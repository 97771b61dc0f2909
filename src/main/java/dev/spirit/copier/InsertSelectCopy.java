package dev.spirit.copier;

import dev.spirit.db.BackgroundPriority;
import dev.spirit.db.Retry;
import dev.spirit.db.SqlWarning;
import dev.spirit.table.Chunk;
import dev.spirit.table.Chunker;
import dev.spirit.table.ColumnMapping;
import dev.spirit.table.TableInfo;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;

/**
 * A range copied on the server: {@code INSERT IGNORE INTO new (…) SELECT … FROM source WHERE <range>}. Under READ
 * COMMITTED with row-based binlogging InnoDB reads the source as a consistent read, so the copy takes no row locks
 * on the source. IGNORE keeps rows the change applier already wrote; because the session's sql_mode is not strict,
 * every conversion the new definition would make lossy arrives as a warning, and every warning but a duplicate key
 * stops the copy.
 */
public final class InsertSelectCopy implements RangeCopy {
  private final DataSource pool;
  private final Chunker chunker;
  private final long estimatedRows;
  private final String insertSql;
  private final Set<String> duplicateKeys = ConcurrentHashMap.newKeySet();

  /** @param priority the CPU priority of the copy's statements on the server */
  public InsertSelectCopy(DataSource pool, Chunker chunker, TableInfo target, ColumnMapping mapping,
      BackgroundPriority priority) {
    this.pool = pool;
    this.chunker = chunker;
    this.estimatedRows = chunker.table().estimatedRows();
    this.insertSql = Copier.copySql(chunker.table(), target, mapping, priority);
  }

  @Override
  public Chunker chunker() {
    return chunker;
  }

  @Override
  public long estimatedRows() {
    return estimatedRows;
  }

  @Override
  public Set<String> duplicateKeys() {
    return Set.copyOf(duplicateKeys);
  }

  /** A lost deadlock is retried: the copy is idempotent. */
  @Override
  public long copy(Chunk chunk) throws SQLException {
    return Retry.onLockConflict("copying " + chunk, () -> copyOnce(chunk));
  }

  private long copyOnce(Chunk chunk) throws SQLException {
    String sql = insertSql + chunk.condition(chunker.key());
    try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      chunk.bind(ps, 1);
      int rows = ps.executeUpdate();
      for (SqlWarning w : SqlWarning.fetch(c)) {
        if (w.isPrimaryKeyDuplicate()) {
          continue;
        }
        if (w.code() == SqlWarning.DUPLICATE_ENTRY) {
          duplicateKeys.add(w.duplicateKeyName());
          continue;
        }
        throw w.asDataLoss(chunker.table().quotedName());
      }
      return rows;
    }
  }
}
