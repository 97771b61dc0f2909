package dev.spirit.checksum;

import dev.spirit.db.BackgroundPriority;
import dev.spirit.db.Retry;
import dev.spirit.table.Chunk;
import dev.spirit.table.ChunkSizer;
import dev.spirit.table.Chunker;
import dev.spirit.table.ColumnMapping;
import dev.spirit.table.RowTransfer;
import dev.spirit.table.TableInfo;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * A source table and its copy on another server, of the same definition: each side summed on its own server, through
 * the two sessions of a {@link Snapshot}, with the same per-row fingerprint ({@link ChecksumExpressions}), which the
 * two servers compute alike for every column type they share. A range that differs is repaired by deleting it from
 * the target and copying it again from the source, in one transaction on the target.
 */
public final class CrossServerPair implements ChecksumPair {
  private final DataSource sourcePool;
  private final DataSource targetPool;
  private final RowTransfer transfer;
  private final long chunkRows;
  private final String sourceSql;
  private final String targetSql;

  public CrossServerPair(DataSource sourcePool, DataSource targetPool, RowTransfer transfer, long chunkRows,
      BackgroundPriority sourcePriority) {
    this.sourcePool = sourcePool;
    this.targetPool = targetPool;
    this.transfer = transfer;
    this.chunkRows = Math.max(1, chunkRows);
    ColumnMapping mapping = ColumnMapping.between(transfer.source(), transfer.target(), Map.of());
    this.sourceSql = sourcePriority.after("SELECT") + "COUNT(*), COALESCE(BIT_XOR("
        + ChecksumExpressions.sourceRowHash(mapping) + "), 0) FROM " + transfer.source().quotedName()
        + " FORCE INDEX (PRIMARY) WHERE ";
    this.targetSql = "SELECT COUNT(*), COALESCE(BIT_XOR(" + ChecksumExpressions.targetRowHash(mapping) + "), 0) FROM "
        + transfer.target().quotedName() + " FORCE INDEX (PRIMARY) WHERE ";
  }

  @Override
  public TableInfo source() {
    return transfer.source();
  }

  @Override
  public TableInfo target() {
    return transfer.target();
  }

  @Override
  public Chunker chunker() {
    return new Chunker(sourcePool, transfer.source(), new ChunkSizer(chunkRows, 1, Duration.ofSeconds(5)));
  }

  @Override
  public Sum sourceSum(Snapshot snapshot, Chunker chunker, Chunk chunk) throws SQLException {
    return SameServerPair.sum(snapshot.source(), sourceSql, chunker, chunk);
  }

  @Override
  public Sum targetSum(Snapshot snapshot, Chunker chunker, Chunk chunk) throws SQLException {
    return SameServerPair.sum(snapshot.target(), targetSql, chunker, chunk);
  }

  /** The definitions are equal, so no unique key can refuse what the source holds: the list is always empty. */
  @Override
  public List<String> repair(Chunker chunker, Chunk chunk) throws SQLException {
    return Retry.onLockConflict("repairing " + chunk + " of " + transfer.target().quotedName(), () -> {
      String condition = chunk.condition(chunker.key());
      List<RowTransfer.Row> rows;
      try (Connection s = sourcePool.getConnection()) {
        rows = transfer.read(s, condition, ps -> chunk.bind(ps, 1));
      }
      try (Connection t = targetPool.getConnection()) {
        transfer.replace(t, condition, ps -> chunk.bind(ps, 1), rows);
      }
      return List.of();
    });
  }
}
