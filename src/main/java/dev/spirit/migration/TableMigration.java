package dev.spirit.migration;

import dev.spirit.applier.Applier;
import dev.spirit.binlog.ChangeBuffer;
import dev.spirit.binlog.KeyCodec;
import dev.spirit.binlog.RowKey;
import dev.spirit.binlog.WatchedTable;
import dev.spirit.checkpoint.Checkpoint;
import dev.spirit.checkpoint.CheckpointTable;
import dev.spirit.checksum.ChecksumPair;
import dev.spirit.checksum.SameServerPair;
import dev.spirit.copier.InsertSelectCopy;
import dev.spirit.copier.RangeCopy;
import dev.spirit.cutover.CutoverPlan;
import dev.spirit.db.BackgroundPriority;
import dev.spirit.db.ServerFlavor;
import dev.spirit.statement.AlterTableStatement;
import dev.spirit.table.ChunkSizer;
import dev.spirit.table.Chunker;
import dev.spirit.table.ColumnMapping;
import dev.spirit.table.Identifiers;
import dev.spirit.table.KeyComparison;
import dev.spirit.table.TableDefinition;
import dev.spirit.table.TableInfo;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * One table of a run: its change, its source and shadow, and the engine parts that work on it alone (its change
 * buffer, applier and chunker). The runner composes one per table and keeps no table's state itself. Set up in
 * phases: {@link #inspect} before anything changes, {@link #describe} once the shadow exists, {@link #startApplying}
 * once the subscription runs, {@link #startCopy} for the copy.
 */
final class TableMigration implements CopiedTable {
  private final AlterTableStatement statement;
  private final TableInfo source;
  private final String shadow;
  private Checkpoint resumed;
  private TableInfo target;
  private ColumnMapping mapping;
  private String sourceDefinition;
  private String shadowDefinition;
  private DeferredIndexes deferredIndexes;
  private ChangeBuffer buffer;
  private Applier applier;
  private Chunker chunker;
  private long rowBytes = 1;

  private TableMigration(AlterTableStatement statement, TableInfo source) {
    this.statement = statement;
    this.source = source;
    this.shadow = Identifiers.helperName(statement.table(), "_new");
  }

  /**
   * Finds the table as the server names it and checks everything that refuses it before anything changes: its key,
   * foreign keys and triggers, the statement against its columns, and key types the binlog reader cannot track.
   */
  static TableMigration inspect(Connection c, AlterTableStatement parsed) throws SQLException {
    TableInfo source = TableInfo.load(c, parsed.schema(), parsed.table());
    AlterTableStatement statement = parsed.onTable(source.schema(), source.name());
    Preflight.checkTable(c, source, statement);
    new KeyCodec(source); // refuses key types the binlog reader cannot track
    return new TableMigration(statement, source);
  }

  AlterTableStatement statement() {
    return statement;
  }

  TableInfo source() {
    return source;
  }

  String table() {
    return source.name();
  }

  String shadow() {
    return shadow;
  }

  @Override
  public String quoted() {
    return source.quotedName();
  }

  /** What an earlier run's checkpoint says of this table; null for a fresh run. */
  void resumeFrom(Checkpoint checkpoint) {
    this.resumed = checkpoint;
  }

  boolean copyCompletedBefore() {
    return resumed != null && resumed.copyCompleted();
  }

  /** Where a resumed copy continues, or null to copy from the first key. */
  List<Object> resumedWatermark() {
    return resumed == null || resumed.copyCompleted() ? null : resumed.watermark();
  }

  /**
   * Reads what the ALTER makes of the table, for indexes this run or an earlier one leaves off during the copy; a
   * fresh run that defers nothing has nothing to read.
   */
  void planIndexes(Connection c, boolean defers, boolean resuming) throws SQLException {
    deferredIndexes = defers || resuming ? DeferredIndexes.plan(c, statement, shadow)
        : DeferredIndexes.none(source.schema(), shadow);
  }

  DeferredIndexes deferredIndexes() {
    return deferredIndexes;
  }

  /** Reads the shadow's definition again, after the run itself changed it (its deferred indexes added back). */
  void rereadShadowDefinition(Connection c) throws SQLException {
    shadowDefinition = TableDefinition.read(c, source.schema(), shadow);
  }

  /** Reads the shadow's metadata and both definitions, and maps the columns; the shadow must exist. */
  void describe(Connection c) throws SQLException {
    target = TableInfo.load(c, source.schema(), shadow);
    sourceDefinition = TableDefinition.read(c, source.schema(), source.name());
    shadowDefinition = TableDefinition.read(c, source.schema(), shadow);
    mapping = ColumnMapping.between(source, target, statement.renamedColumns(), statement.recreatedColumns());
    buffer = source.hasIntegerPrimaryKey()
        ? new ChangeBuffer((a, b) -> KeyComparison.compareIntegerTuples(a.values(), b.values()),
            ChangeBuffer.defaultCapacity())
        : new ChangeBuffer(null, ChangeBuffer.defaultCapacity());
  }

  ColumnMapping mapping() {
    return mapping;
  }

  String sourceDefinition() {
    return sourceDefinition;
  }

  /** Both tables' definitions as read at the start; the cutover checks them under its lock. */
  Map<String, String> definitions() {
    return Map.of(source.name(), sourceDefinition, shadow, shadowDefinition);
  }

  WatchedTable watched() {
    return new WatchedTable(source, buffer);
  }

  Applier startApplying(DataSource pool, ServerFlavor flavor, boolean utcSessions, int writeThreads) {
    applier = new Applier(pool, flavor, source, target, mapping, new KeyCodec(source, utcSessions), buffer,
        writeThreads);
    return applier;
  }

  @Override
  public Applier applier() {
    return applier;
  }

  /**
   * The chunker of the copy, from the resumed watermark if there is one; ranges sized for {@code chunkBytes} by the
   * table's average row length, which the checksum's ranges are sized by too.
   */
  void startCopy(DataSource pool, long chunkBytes) throws SQLException {
    rowBytes = Math.max(1, TableInfo.averageRowLength(pool, source));
    chunker = new Chunker(pool, source, new ChunkSizer(chunkBytes, rowBytes, Duration.ofSeconds(2)),
        resumedWatermark());
  }

  @Override
  public boolean copyComplete() {
    return copyCompletedBefore() || chunker.isComplete();
  }

  RangeCopy rangeCopy(DataSource pool, BackgroundPriority priority) {
    return new InsertSelectCopy(pool, chunker, target, mapping, priority);
  }

  ChecksumPair checksumPair(DataSource pool, long chunkBytes, BackgroundPriority priority) {
    return new SameServerPair(pool, source, target, mapping, chunkBytes / rowBytes, priority);
  }

  CutoverPlan.Swap swap(String oldName) {
    return new CutoverPlan.Swap(source.name(), shadow, oldName);
  }

  /** Where this table's copy stands for the checkpoint, or null while none of its ranges has completed. */
  CheckpointTable.TableState checkpointState() {
    return CheckpointTable.TableState.of(source.name(), chunker, copyComplete(), sourceDefinition);
  }

  @Override
  public long rowsCopied() {
    return chunker == null ? 0 : chunker.rowsCopied();
  }

  @Override
  public long estimatedRows() {
    return source.estimatedRows();
  }

  /** Applies the changes the copy allows now; see {@link CopyPhase#applyAllowed}. */
  @Override
  public int applyDuringCopy() throws InterruptedException, SQLException {
    return CopyPhase.applyAllowed(applier, chunker, copyComplete(), true);
  }

  void close() {
    if (applier != null) {
      applier.close();
    }
  }
}
