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
import dev.spirit.status.ProgressReporter;
import dev.spirit.table.Chunk;
import dev.spirit.table.Identifiers;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The migration's side of checkpoints: decides at the start whether this run resumes, prepares the shadow and
 * checkpoint tables accordingly, and decides at a failure whether they are kept for a resume. A run of several
 * tables has one checkpoint table with a row per table: it resumes every table from its own watermark, or none. The
 * rules themselves are in {@link dev.spirit.checkpoint}.
 */
final class Resumption {
  private static final Logger LOG = LoggerFactory.getLogger(Resumption.class);

  private final MigrateConfig config;
  private final List<TableMigration> tables;
  private final CheckpointTable checkpoints;
  /** The first table's checkpoint row when the run resumes (all rows hold one position), else null. */
  private final Checkpoint resumedFrom;
  private final boolean resuming;
  private boolean tablesExist;

  private Resumption(MigrateConfig config, List<TableMigration> tables, CheckpointTable checkpoints,
      Checkpoint resumedFrom) {
    this.config = config;
    this.tables = tables;
    this.checkpoints = checkpoints;
    this.resumedFrom = resumedFrom;
    this.resuming = resumedFrom != null;
  }

  private String schema() {
    return tables.get(0).source().schema();
  }

  private String quotedTables() {
    return tables.stream().map(TableMigration::quoted).collect(Collectors.joining(", "));
  }

  private String isOrAre() {
    return tables.size() == 1 ? " is" : " are";
  }

  /** The shadows and the checkpoint table, quoted, for messages. */
  private String quotedState() {
    List<String> names = new ArrayList<>();
    tables.forEach(t -> names.add(Identifiers.quote(schema(), t.shadow())));
    names.add(checkpoints.quotedName());
    return String.join(", ", names);
  }

  /**
   * What an earlier run left behind, as read: each table's checkpoint row where it can resume, why the run would
   * start afresh otherwise, whether anything was left at all.
   *
   * @param relocatedBecause why the first table's checkpoint offset is replaced by one found from its GTID set, or null
   */
  record Findings(CheckpointTable checkpoints, List<Checkpoint> found, String freshReason, boolean leftovers,
      int tables, String relocatedBecause) {
    boolean resumes() {
      return found.size() == tables;
    }

    /** For a dry run's plan: what the real run would do with what it finds. */
    String describe() {
      return resumes() ? "resumes from " + checkpoints.quotedName() + " (" + found.get(0).position() + ")"
          : leftovers ? "starts afresh and drops what an earlier run left behind (" + freshReason + ")"
          : "a fresh migration";
    }
  }

  /**
   * Reads what an earlier run left behind, changing nothing on the server or in the tables.
   *
   * @throws SpiritException when it cannot be judged; the run would keep everything and stop
   */
  static Findings inspect(DataSource pool, MigrateConfig config, List<TableMigration> tables) {
    String schema = tables.get(0).source().schema();
    CheckpointTable checkpoints = new CheckpointTable(schema, tables.get(0).table());
    List<Checkpoint> found = new ArrayList<>();
    String freshReason = null;
    String relocatedBecause = null;
    boolean leftovers = false;
    for (int i = 0; i < tables.size(); i++) {
      TableMigration t = tables.get(i);
      ResumeDecision decision = ResumeInspector.inspect(pool, checkpoints, i + 1, schema, t.shadow(),
          config.change().sql(), t.table(), config.checkpointMaxAge());
      if (decision instanceof ResumeDecision.Refuse r) {
        throw new SpiritException(ErrorCode.CHECKPOINT_FAILED, "refusing to start a fresh migration of "
            + t.quoted() + ": what an earlier run left behind (" + Identifiers.quote(schema, t.shadow()) + ", "
            + checkpoints.quotedName() + ") could not be checked (" + r.reason() + "). " + (tables.size() == 1
            ? "Both tables are kept: run the same command again to resume, or drop both to start over."
            : "Every table the run made is kept: run the same command again to resume, or drop them (the shadows"
                + " and " + checkpoints.quotedName() + ") to start over."));
      }
      if (decision instanceof ResumeDecision.Resume r) {
        found.add(r.checkpoint());
        leftovers = true;
        if (i == 0) {
          relocatedBecause = r.relocatedBecause();
        }
      } else {
        String reason = ((ResumeDecision.Fresh) decision).reason();
        leftovers |= reason != null;
        if (freshReason == null) {
          freshReason = reason == null ? "nothing was left behind for " + t.quoted() : t.quoted() + ": " + reason;
        }
      }
    }
    return new Findings(checkpoints, List.copyOf(found), freshReason, leftovers, tables.size(), relocatedBecause);
  }

  /**
   * Reads what an earlier run left behind, changing nothing, and tells each table where it resumes from. Every table
   * must be resumable for the run to resume; one that is not starts them all afresh, since they share one binlog
   * position.
   *
   * @throws SpiritException when it cannot be judged; everything is then kept
   */
  static Resumption decide(DataSource pool, MigrateConfig config, List<TableMigration> tables) {
    Findings findings = inspect(pool, config, tables);
    Resumption resumption = new Resumption(config, tables, findings.checkpoints(),
        findings.resumes() ? findings.found().get(0) : null);
    if (resumption.resuming) {
      if (findings.relocatedBecause() != null) {
        LOG.warn("the checkpoint's binlog offset cannot be used here ({}); its GTID set is found in this server's"
            + " binlog, so its changes are replayed from {}", findings.relocatedBecause(),
            findings.found().get(0).position());
      }
      for (int i = 0; i < tables.size(); i++) {
        tables.get(i).resumeFrom(findings.found().get(i));
      }
    } else if (findings.leftovers()) {
      LOG.warn("starting {} afresh, discarding {}: {}", resumption.quotedTables(), resumption.quotedState(),
          findings.freshReason());
    }
    return resumption;
  }

  boolean resuming() {
    return resuming;
  }

  /**
   * Registers the run with the sentinel gate, before any other work: a fresh run creates the sentinel with
   * {@code --defer-cutover}; a resumed run never creates it, and puts its row back to {@code copying}.
   */
  void openGate(SentinelGate gate) throws SQLException {
    if (resuming) {
      gate.reopen(config.cutover().deferCutover());
    } else {
      gate.open(config.cutover().deferCutover());
    }
  }

  /** Whether the resumed run's copy had completed for every table: nothing is copied again. */
  boolean copyCompleted() {
    return resuming && tables.stream().allMatch(TableMigration::copyCompletedBefore);
  }

  /**
   * Fresh: (re)creates every shadow and the checkpoint table, then reads the position the subscription starts from,
   * so the tool's own DDL is never in its binlog. Resumed: waits out statements of the earlier run still writing the
   * shadows, deletes from each every key at or above its watermark and returns the checkpoint's position.
   */
  BinlogPosition prepare(Connection c, ServerFlavor flavor) throws SQLException {
    if (!resuming) {
      for (TableMigration t : tables) {
        ShadowTable.create(c, t.statement(), t.shadow());
        tablesExist = true;
        if (config.deferSecondaryIndexes()) {
          deferIndexes(c, t);
        }
      }
      checkpoints.create(c);
      tablesExist = true;
      return flavor.currentPosition(c);
    }
    tablesExist = true;
    for (TableMigration t : tables) {
      long deleted;
      try (Statement s = c.createStatement()) {
        awaitEarlierWriters(s, t);
        try {
          deleted = t.copyCompletedBefore() ? 0 : deleteFromWatermark(c, t);
        } finally {
          s.execute("UNLOCK TABLES");
        }
      }
      LOG.info("resuming the migration of {} from its checkpoint: {}{}", t.quoted(), t.copyCompletedBefore()
          ? "copy completed" : "copy continues from key " + t.resumedWatermark(), deleted > 0 ? "; removed "
          + deleted + " row(s) at or above the key from the shadow table" : "");
    }
    LOG.info("resuming from binlog {}, checkpoint age {}", Checkpoint.formatPosition(resumedFrom.position()),
        ProgressReporter.format(resumedFrom.age()));
    return resumedFrom.position();
  }

  /**
   * A killed run's statements go on on the server: a copy statement blocked on a lock, for one, commits its rows
   * into the shadow when the lock is released, perhaps after this run has deleted the rows above the watermark, and
   * the copy's INSERT IGNORE would then keep them. Every such statement holds a metadata lock on the shadow until it
   * ends, so taking the table's write lock (bounded by lock_wait_timeout) waits them out; the caller unlocks.
   */
  private void awaitEarlierWriters(Statement s, TableMigration t) throws SQLException {
    String quoted = Identifiers.quote(schema(), t.shadow());
    try {
      s.execute("LOCK TABLES " + quoted + " WRITE");
    } catch (SQLException e) {
      if (!SqlErrors.isLockConflict(e)) {
        throw e;
      }
      throw new SpiritException(ErrorCode.TIMED_OUT, "cannot resume the migration of " + t.quoted() + ": another"
          + " session still uses " + quoted + " (a statement of the earlier run the server is still executing, or a"
          + " lock taken by hand; see SHOW PROCESSLIST). Run the same command again once it has ended.", e);
    }
  }

  private static void deferIndexes(Connection c, TableMigration t) throws SQLException {
    if (!t.deferredIndexes().known()) {
      LOG.warn("--defer-secondary-indexes: {} keeps its new indexes during the copy: the server does not take its ALTER"
          + " on a temporary table, from which the run reads what to put back", t.quoted());
      return;
    }
    List<String> added = t.deferredIndexes().added();
    if (added.isEmpty()) {
      LOG.info("--defer-secondary-indexes: the ALTER of {} adds no plain secondary index to build after the copy",
          t.quoted());
      return;
    }
    List<String> dropped = t.deferredIndexes().dropFromShadow(c);
    if (dropped.isEmpty()) {
      LOG.warn("--defer-secondary-indexes: {} keeps its new indexes during the copy: the shadow is not what the ALTER"
          + " makes of a temporary copy of the table, so they could not be put back exactly", t.quoted());
    } else {
      LOG.info("the new table of {} gets {} after the copy (--defer-secondary-indexes)", t.quoted(),
          String.join(", ", dropped));
    }
  }

  /** Deletes the shadow's rows at or above the watermark: possibly stale, and the copy's INSERT IGNORE keeps rows. */
  private long deleteFromWatermark(Connection c, TableMigration t) throws SQLException {
    Chunk above = new Chunk(0, t.resumedWatermark(), null, 0);
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + Identifiers.quote(schema(), t.shadow())
        + " WHERE " + above.condition(t.source().primaryKey()))) {
      above.bind(ps, 1);
      return ps.executeUpdate();
    }
  }

  /**
   * The checkpoint writer of this run. Each write reads the binlog position first, then every table's watermark (the
   * order the invariant in {@link dev.spirit.checkpoint} needs); nothing is written while a table has no completed
   * range yet.
   */
  CheckpointWriter writer(DataSource pool, BinlogSubscription binlog, AdvisoryLock lock) {
    return new CheckpointWriter(pool, checkpoints, config.change().sql(), () -> {
      lock.checkHeld(); // a run that lost its lock must not overwrite the checkpoint of one that took it
      BinlogPosition position = binlog.checkpointPosition();
      List<CheckpointTable.TableState> states = new ArrayList<>();
      for (TableMigration t : tables) {
        CheckpointTable.TableState state = t.checkpointState();
        if (state == null) {
          return Optional.empty();
        }
        states.add(state);
      }
      return Optional.of(new CheckpointWriter.State(position, states));
    });
  }

  /**
   * Whether a run that failed this way keeps its shadow and checkpoint for a resume: a sentinel wait that timed out,
   * a replica found stopped before the cutover, a lost connection or a failed binlog stream. A Ctrl-C, a refusal, DDL or an undecodable event in the binlog (a
   * resume would meet it again) and every other error start the next run afresh.
   */
  boolean keepsStateAfter(Throwable failure, BinlogSubscription binlog, boolean cancelled) {
    return tablesExist && !cancelled && resumable(failure, binlog != null && binlog.failedForGood());
  }

  /** The failures a re-run can resume from; everything else would fail the same way again, or was asked for. */
  static boolean resumable(Throwable failure, boolean binlogFailedForGood) {
    if (failure instanceof SpiritException s) {
      if (s.code() == ErrorCode.TIMED_OUT || s.code() == ErrorCode.REPLICA_NOT_HEALTHY) {
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
      return "spirit: " + quotedTables() + isOrAre() + " unchanged; " + quotedState() + " were left as they are,"
          + " since another run may own them now";
    }
    if (keepsStateAfter(failure, binlog, cancelled)) {
      return "spirit: " + quotedTables() + isOrAre() + " unchanged; kept " + quotedState() + ": running the same"
          + " command again resumes from the last checkpoint; to start over instead, drop "
          + (tables.size() == 1 ? "both tables" : "those tables");
    }
    dropAll(pool);
    return "spirit: " + quotedTables() + isOrAre() + " unchanged; the shadow table" + (tables.size() == 1 ? " was"
        : "s were") + " removed";
  }

  /** Drops the shadows and the checkpoint; only logged when it fails (the run's outcome is decided already). */
  private void dropAll(DataSource pool) {
    List<String> all = new ArrayList<>();
    tables.forEach(t -> all.add(Identifiers.quote(schema(), t.shadow())));
    all.add(checkpoints.quotedName());
    for (String table : all) {
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
