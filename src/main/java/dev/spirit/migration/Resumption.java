package dev.spirit.migration;

import dev.spirit.binlog.BinlogSubscription;
import dev.spirit.checkpoint.Checkpoint;
import dev.spirit.checkpoint.CheckpointTable;
import dev.spirit.checkpoint.CheckpointWriter;
import dev.spirit.checkpoint.ResumeDecision;
import dev.spirit.checkpoint.ResumeInspector;
import dev.spirit.config.MigrateConfig;
import dev.spirit.db.AdvisoryLock;
import dev.spirit.db.BinlogPosition;
import dev.spirit.db.ServerFlavor;
import dev.spirit.db.SqlErrors;
import dev.spirit.error.ErrorCode;
import dev.spirit.error.SpiritException;
import dev.spirit.sentinel.SentinelGate;
import dev.spirit.statement.AlterTableStatement;
import dev.spirit.status.ProgressReporter;
import dev.spirit.table.Chunk;
import dev.spirit.table.Chunker;
import dev.spirit.table.Identifiers;
import dev.spirit.table.TableInfo;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The migration's side of checkpoints: decides at the start whether this run resumes, prepares the shadow and
 * checkpoint tables accordingly, and decides at a failure whether they are kept for a resume. The rules themselves
 * are in {@link dev.spirit.checkpoint}.
 */
final class Resumption {
  private static final Logger LOG = LoggerFactory.getLogger(Resumption.class);

  private final MigrateConfig config;
  private final AlterTableStatement statement;
  private final CheckpointTable checkpoints;
  private final String shadow;
  private final Checkpoint checkpoint;
  private boolean tablesExist;

  private Resumption(MigrateConfig config, AlterTableStatement statement, String shadow, Checkpoint checkpoint) {
    this.config = config;
    this.statement = statement;
    this.checkpoints = new CheckpointTable(statement.schema(), statement.table());
    this.shadow = shadow;
    this.checkpoint = checkpoint;
  }

  /**
   * Reads what an earlier run left behind, changing nothing.
   *
   * @throws SpiritException when it cannot be judged; both tables are then kept
   */
  static Resumption decide(DataSource pool, MigrateConfig config, AlterTableStatement statement, String shadow) {
    CheckpointTable checkpoints = new CheckpointTable(statement.schema(), statement.table());
    ResumeDecision decision = ResumeInspector.inspect(pool, checkpoints, statement.schema(), shadow,
        config.change().sql(), statement.table(), config.checkpointMaxAge());
    String quoted = Identifiers.quote(statement.schema(), statement.table());
    if (decision instanceof ResumeDecision.Refuse r) {
      throw new SpiritException(ErrorCode.CHECKPOINT_FAILED, "refusing to start a fresh migration of " + quoted
          + ": what an earlier run left behind (" + Identifiers.quote(statement.schema(), shadow) + ", "
          + checkpoints.quotedName() + ") could not be checked (" + r.reason() + "). Both tables are kept: run the"
          + " same command again to resume, or drop both to start over.");
    }
    if (decision instanceof ResumeDecision.Resume r) {
      return new Resumption(config, statement, shadow, r.checkpoint());
    }
    String reason = ((ResumeDecision.Fresh) decision).reason();
    if (reason != null) {
      LOG.warn("starting {} afresh, discarding {} and {}: {}", quoted, Identifiers.quote(statement.schema(), shadow),
          checkpoints.quotedName(), reason);
    }
    return new Resumption(config, statement, shadow, null);
  }

  boolean resuming() {
    return checkpoint != null;
  }

  /**
   * Registers the run with the sentinel gate, before any other work: a fresh run creates the sentinel with
   * {@code --defer-cutover}; a resumed run never creates it, and puts its row back to {@code copying}.
   */
  void openGate(SentinelGate gate) throws SQLException {
    if (resuming()) {
      gate.reopen(config.cutover().deferCutover());
    } else {
      gate.open(config.cutover().deferCutover());
    }
  }

  /** Whether the resumed run's copy had already completed: nothing is copied again. */
  boolean copyCompleted() {
    return checkpoint != null && checkpoint.copyCompleted();
  }

  /** Where the resumed copy continues, or null to copy from the first key. */
  List<Object> copyFrom() {
    return checkpoint == null || checkpoint.copyCompleted() ? null : checkpoint.watermark();
  }

  /**
   * Fresh: (re)creates the shadow and the checkpoint table, then reads the position the subscription starts from,
   * so the tool's own DDL is never in its binlog. Resumed: waits out statements of the earlier run still writing the
   * shadow, deletes from it every key at or above the watermark and returns the checkpoint's position.
   */
  BinlogPosition prepare(Connection c, ServerFlavor flavor, TableInfo source) throws SQLException {
    if (checkpoint == null) {
      ShadowTable.create(c, statement, shadow);
      checkpoints.create(c);
      tablesExist = true;
      return flavor.currentPosition(c);
    }
    tablesExist = true;
    long deleted;
    try (Statement s = c.createStatement()) {
      awaitEarlierWriters(s);
      try {
        deleted = checkpoint.copyCompleted() ? 0 : deleteFromWatermark(c, source);
      } finally {
        s.execute("UNLOCK TABLES");
      }
    }
    LOG.info("resuming the migration of {} from its checkpoint: {}, binlog {}, checkpoint age {}{}",
        Identifiers.quote(statement.schema(), statement.table()), checkpoint.copyCompleted() ? "copy completed"
            : "copy continues from key " + checkpoint.watermark(), Checkpoint.formatPosition(checkpoint.position()),
        ProgressReporter.format(checkpoint.age()), deleted > 0 ? "; removed " + deleted + " row(s) at or above the"
            + " key from the shadow table" : "");
    return checkpoint.position();
  }

  /**
   * A killed run's statements go on on the server: a copy statement blocked on a lock, for one, commits its rows
   * into the shadow when the lock is released, perhaps after this run has deleted the rows above the watermark, and
   * the copy's INSERT IGNORE would then keep them. Every such statement holds a metadata lock on the shadow until it
   * ends, so taking the table's write lock (bounded by lock_wait_timeout) waits them out; the caller unlocks.
   */
  private void awaitEarlierWriters(Statement s) throws SQLException {
    String quoted = Identifiers.quote(statement.schema(), shadow);
    try {
      s.execute("LOCK TABLES " + quoted + " WRITE");
    } catch (SQLException e) {
      if (!SqlErrors.isLockConflict(e)) {
        throw e;
      }
      throw new SpiritException(ErrorCode.TIMED_OUT, "cannot resume the migration of "
          + Identifiers.quote(statement.schema(), statement.table()) + ": another session still uses " + quoted
          + " (a statement of the earlier run the server is still executing, or a lock taken by hand; see SHOW"
          + " PROCESSLIST). Run the same command again once it has ended.", e);
    }
  }

  /** Deletes the shadow's rows at or above the watermark: possibly stale, and the copy's INSERT IGNORE keeps rows. */
  private long deleteFromWatermark(Connection c, TableInfo source) throws SQLException {
    Chunk above = new Chunk(0, checkpoint.watermark(), null, 0);
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + Identifiers.quote(statement.schema(), shadow)
        + " WHERE " + above.condition(source.primaryKey()))) {
      above.bind(ps, 1);
      return ps.executeUpdate();
    }
  }

  /**
   * The checkpoint writer of this run. Each write reads the binlog position first, then the copier's watermark (the
   * order the invariant in {@link dev.spirit.checkpoint} needs); nothing is written while no range has completed.
   */
  CheckpointWriter writer(DataSource pool, BinlogSubscription binlog, Chunker chunker, AdvisoryLock lock,
      String sourceDefinition) {
    boolean completedBefore = copyCompleted();
    return new CheckpointWriter(pool, checkpoints, config.change().sql(), statement.table(), sourceDefinition, () -> {
      lock.checkHeld(); // a run that lost its lock must not overwrite the checkpoint of one that took it
      BinlogPosition position = binlog.checkpointPosition();
      boolean completed = completedBefore || chunker.isComplete();
      List<Object> watermark = completed ? null : chunker.lowWatermark();
      return completed || watermark != null
          ? Optional.of(new CheckpointWriter.State(position, watermark, completed))
          : Optional.empty();
    });
  }

  /**
   * Whether a run that failed this way keeps its shadow and checkpoint for a resume: a sentinel wait that timed out,
   * a lost connection or a failed binlog stream. A Ctrl-C, a refusal, DDL or an undecodable event in the binlog (a
   * resume would meet it again) and every other error start the next run afresh.
   */
  boolean keepsStateAfter(Throwable failure, BinlogSubscription binlog, boolean cancelled) {
    return tablesExist && !cancelled && resumable(failure, binlog != null && binlog.failedForGood());
  }

  /** The failures a re-run can resume from; everything else would fail the same way again, or was asked for. */
  static boolean resumable(Throwable failure, boolean binlogFailedForGood) {
    if (failure instanceof SpiritException s) {
      if (s.code() == ErrorCode.TIMED_OUT) {
        return true;
      }
      if (s.code() == ErrorCode.BINLOG_FAILED) {
        return !binlogFailedForGood;
      }
    }
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof SQLException e && SqlErrors.isConnectionLoss(e)) {
        return true;
      }
    }
    return false;
  }

  /** Keeps or drops the shadow and checkpoint after a failure; returns what to tell the operator. */
  String cleanUpAfterFailure(DataSource pool, Throwable failure, BinlogSubscription binlog, boolean cancelled) {
    if (failure instanceof SpiritException s && s.code() == ErrorCode.LOCK_LOST) {
      return "spirit: " + Identifiers.quote(statement.schema(), statement.table()) + " is unchanged; "
          + Identifiers.quote(statement.schema(), shadow) + " and " + checkpoints.quotedName() + " were left as they"
          + " are, since another run may own them now";
    }
    if (keepsStateAfter(failure, binlog, cancelled)) {
      return keptMessage();
    }
    dropAll(pool);
    return "spirit: " + Identifiers.quote(statement.schema(), statement.table()) + " is unchanged; the shadow table"
        + " was removed";
  }

  private String keptMessage() {
    return "spirit: " + Identifiers.quote(statement.schema(), statement.table()) + " is unchanged; kept "
        + Identifiers.quote(statement.schema(), shadow) + " and " + checkpoints.quotedName() + ": running the same"
        + " command again resumes from the last checkpoint; to start over instead, drop both tables";
  }

  /** Drops the shadow and the checkpoint; only logged when it fails (the run's outcome is decided already). */
  private void dropAll(DataSource pool) {
    for (String table : List.of(Identifiers.quote(statement.schema(), shadow), checkpoints.quotedName())) {
      try (Connection c = pool.getConnection(); var s = c.createStatement()) {
        s.execute("DROP TABLE IF EXISTS " + table);
      } catch (SQLException e) {
        LOG.warn("could not drop {}: {}", table, e.getMessage());
      }
    }
  }

  /** After a successful cutover: the checkpoint has served its purpose. */
  void dropCheckpoint(DataSource pool) {
    try (Connection c = pool.getConnection()) {
      checkpoints.drop(c);
    } catch (SQLException e) {
      LOG.warn("could not drop {}: {}", checkpoints.quotedName(), e.getMessage());
    }
  }
}
