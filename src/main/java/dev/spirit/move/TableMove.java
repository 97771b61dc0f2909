package dev.spirit.move;

import dev.spirit.applier.Applier;
import dev.spirit.applier.CrossServerRefresh;
import dev.spirit.binlog.ChangeBuffer;
import dev.spirit.binlog.KeyCodec;
import dev.spirit.binlog.WatchedTable;
import dev.spirit.checkpoint.Checkpoint;
import dev.spirit.checkpoint.CheckpointTable;
import dev.spirit.checksum.ChecksumPair;
import dev.spirit.checksum.CrossServerPair;
import dev.spirit.copier.CrossServerCopy;
import dev.spirit.copier.RangeCopy;
import dev.spirit.cutover.CutoverPlan;
import dev.spirit.db.BackgroundPriority;
import dev.spirit.db.ServerFlavor;
import dev.spirit.migration.CopiedTable;
import dev.spirit.migration.CopyPhase;
import dev.spirit.table.Chunk;
import dev.spirit.table.ChunkSizer;
import dev.spirit.table.Chunker;
import dev.spirit.table.Identifiers;
import dev.spirit.table.KeyComparison;
import dev.spirit.table.RowTransfer;
import dev.spirit.table.TableInfo;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import javax.sql.DataSource;

/**
 * One table of a move: the source table, its copy on the target, and the engine parts that work on it alone (its
 * change buffer, applier, chunker and row transfer). Set up in phases: {@link #TableMove} at discovery, before
 * anything changes; {@link #describeTarget} once the target table exists; {@link #startApplying} once the
 * subscription runs; {@link #startCopy} for the copy.
 */
final class TableMove implements CopiedTable {
  private final TableInfo source;
  private final String definition;
  private Checkpoint resumed;
  private TableInfo target;
  private RowTransfer transfer;
  private ChangeBuffer buffer;
  private Applier applier;
  private Chunker chunker;
  private long rowBytes = 1;

  /** @param definition the source table's definition as the run read it at the start */
  TableMove(TableInfo source, String definition) {
    this.source = source;
    this.definition = definition;
    this.buffer = source.hasIntegerPrimaryKey()
        ? new ChangeBuffer((a, b) -> KeyComparison.compareIntegerTuples(a.values(), b.values()),
            ChangeBuffer.defaultCapacity())
        : new ChangeBuffer(null, ChangeBuffer.defaultCapacity());
  }

  TableInfo source() {
    return source;
  }

  String table() {
    return source.name();
  }

  String definition() {
    return definition;
  }

  @Override
  public String quoted() {
    return source.quotedName();
  }

  /** The name the source table gets at the cutover, and keeps. */
  String oldName() {
    return source.name() + "_old";
  }

  void resumeFrom(Checkpoint checkpoint) {
    this.resumed = checkpoint;
  }

  boolean copyCompletedBefore() {
    return resumed != null && resumed.copyCompleted();
  }

  List<Object> resumedWatermark() {
    return resumed == null || resumed.copyCompleted() ? null : resumed.watermark();
  }

  /** Reads the target table's metadata; it must exist, with the source's definition. */
  void describeTarget(Connection targetConnection, String targetSchema) throws SQLException {
    target = TableInfo.load(targetConnection, targetSchema, source.name());
    transfer = new RowTransfer(source, target);
  }

  TableInfo target() {
    return target;
  }

  /**
   * On resume: deletes the target's rows at or above the watermark (the copy's INSERT IGNORE would keep them, and they
   * may be stale); the changes below it come again from the checkpoint's binlog position.
   *
   * @return the rows deleted
   */
  long deleteFromWatermark(DataSource targetPool) throws SQLException {
    if (resumed == null || copyCompletedBefore()) {
      return 0;
    }
    Chunk above = new Chunk(0, resumedWatermark(), null, 0);
    try (Connection c = targetPool.getConnection(); PreparedStatement ps = c.prepareStatement("DELETE FROM "
        + target.quotedName() + " WHERE " + above.condition(source.primaryKey()))) {
      above.bind(ps, 1);
      return ps.executeUpdate();
    }
  }

  WatchedTable watched() {
    return new WatchedTable(source, buffer);
  }

  Applier startApplying(DataSource sourcePool, DataSource targetPool, ServerFlavor flavor, int writeThreads) {
    applier = new Applier(sourcePool, flavor, source, new KeyCodec(source, true), buffer, writeThreads,
        new CrossServerRefresh(targetPool, transfer));
    return applier;
  }

  @Override
  public Applier applier() {
    return applier;
  }

  void startCopy(DataSource sourcePool, long chunkBytes) throws SQLException {
    rowBytes = Math.max(1, TableInfo.averageRowLength(sourcePool, source));
    chunker = new Chunker(sourcePool, source, new ChunkSizer(chunkBytes, rowBytes, Duration.ofSeconds(2)),
        resumedWatermark());
  }

  RangeCopy rangeCopy(DataSource sourcePool, DataSource targetPool, ExecutorService writers) {
    return new CrossServerCopy(sourcePool, targetPool, chunker, transfer, writers);
  }

  ChecksumPair checksumPair(DataSource sourcePool, DataSource targetPool, long chunkBytes,
      BackgroundPriority priority) {
    return new CrossServerPair(sourcePool, targetPool, transfer, chunkBytes / rowBytes, priority);
  }

  CutoverPlan.Swap swap() {
    return CutoverPlan.Swap.retire(source.name(), oldName());
  }

  /** Where this table's copy stands for the checkpoint, or null while none of its ranges has completed. */
  CheckpointTable.TableState checkpointState() {
    return CheckpointTable.TableState.of(source.name(), chunker, copyComplete(), definition);
  }

  @Override
  public boolean copyComplete() {
    return copyCompletedBefore() || chunker.isComplete();
  }

  @Override
  public long rowsCopied() {
    return chunker == null ? 0 : chunker.rowsCopied();
  }

  @Override
  public long estimatedRows() {
    return source.estimatedRows();
  }

  /**
   * Keys that are not integers cannot be placed against the ranges in flight, and a range's rows are read before
   * they are written, so a refresh could be overwritten by the older row of a range still in flight: they are applied
   * only once the table's copy is complete.
   */
  @Override
  public int applyDuringCopy() throws InterruptedException, SQLException {
    return CopyPhase.applyAllowed(applier, chunker, copyComplete(), false);
  }

  String quotedTarget() {
    return Identifiers.quote(target.schema(), target.name());
  }

  void close() {
    if (applier != null) {
      applier.close();
    }
  }
}
