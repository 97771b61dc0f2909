package dev.spirit.move;

import dev.spirit.db.BinlogPosition;
import dev.spirit.binlog.BinlogSubscription;
import dev.spirit.checkpoint.Checkpoint;
import dev.spirit.checkpoint.CheckpointTable;
import dev.spirit.checkpoint.CheckpointWriter;
import dev.spirit.checkpoint.ResumeDecision;
import dev.spirit.checkpoint.ResumeInspector;
import dev.spirit.db.AdvisoryLock;
import dev.spirit.error.ErrorCode;
import dev.spirit.migration.Preflight;
import dev.spirit.status.ProgressReporter;
import dev.spirit.table.Identifiers;
import dev.spirit.table.TableInfo;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a move keeps on the target besides the tables: its checkpoint, {@code _spirit_move_checkpoint}, one row per
 * table, and with it the decision at the start between a fresh move and a resume, upstream's rules:
 * <ul>
 *   <li>no checkpoint table: fresh; a target table that exists already must be empty and of the source's definition;
 *   <li>a checkpoint table without rows: an earlier run died before its first checkpoint; its target tables are
 *       dropped and the move starts fresh;
 *   <li>a readable checkpoint of these tables, younger than {@code --checkpoint-max-age}, whose target tables are
 *       there with the source's definitions, which have not changed since: resume;
 *   <li>anything else is refused, naming what is wrong; {@code --force} drops the target tables and the checkpoint
 *       and starts fresh.
 * </ul>
 */
final class MoveState {
  private static final Logger LOG = LoggerFactory.getLogger(MoveState.class);
  static final String CHECKPOINT = "_spirit_move_checkpoint";

  private final String targetSchema;
  private final List<TableMove> tables;
  private final CheckpointTable checkpoints;
  private final String description;
  private final boolean deferredIndexes;
  private Checkpoint resumedFrom;

  MoveState(String targetSchema, List<TableMove> tables, String description, boolean deferredIndexes) {
    this.targetSchema = targetSchema;
    this.deferredIndexes = deferredIndexes;
    this.tables = tables;
    this.checkpoints = CheckpointTable.named(targetSchema, CHECKPOINT);
    this.description = description;
  }

  boolean resuming() {
    return resumedFrom != null;
  }

  private String quoted(String table) {
    return Identifiers.quote(targetSchema, table);
  }

  /**
   * What the start of a move finds on the target, before anything changes: a fresh start, an empty checkpoint whose
   * tables are dropped, a resume from {@code found} replayed from {@code replay}, or a {@code problem} that refuses
   * the run unless {@code --force} drops the target tables and starts afresh.
   */
  record Assessment(Kind kind, String problem, List<Checkpoint> found, ResumeDecision.Replay replay) {
    enum Kind { FRESH, EMPTY_CHECKPOINT, RESUME, PROBLEM }

    /** For a dry run's plan and an operator: what the real run would do with this target. */
    String describe(boolean force, String checkpoint) {
      return switch (kind) {
        case FRESH -> "a fresh move";
        case EMPTY_CHECKPOINT -> checkpoint + " is empty (an earlier run stopped before its first checkpoint): its"
            + " target tables are dropped and the move starts afresh";
        case RESUME -> "resumes from " + checkpoint + " (" + found.get(0).position() + ")";
        case PROBLEM -> force ? "--force: " + problem + "; the target tables of this move and its checkpoint are"
            + " dropped and the copy starts afresh" : "refused: " + problem;
      };
    }
  }

  /** Reads the target's checkpoint and tables and the source's binlog; changes nothing. */
  Assessment assess(Connection source, Connection target, Duration maxAge, DefinitionMatch match)
      throws SQLException {
    if (!checkpoints.exists(target)) {
      String problem = freshProblem(target, match);
      return new Assessment(problem == null ? Assessment.Kind.FRESH : Assessment.Kind.PROBLEM, problem, List.of(),
          null);
    }
    List<Checkpoint> found = new ArrayList<>();
    try {
      for (int i = 0; i < tables.size(); i++) {
        checkpoints.read(target, i + 1).ifPresent(found::add);
      }
    } catch (SQLException | IllegalArgumentException e) {
      return problem("its checkpoint " + checkpoints.quotedName() + " cannot be read (" + e.getMessage() + ")");
    }
    if (found.isEmpty() && checkpointRows(target) == 0) {
      return new Assessment(Assessment.Kind.EMPTY_CHECKPOINT, null, List.of(), null);
    }
    String problem = resumeProblem(target, found, maxAge, match);
    if (problem != null) {
      return problem(problem);
    }
    ResumeDecision.Replay replay = ResumeInspector.replay(source, found.get(0).position());
    if (replay.impossible() != null) {
      return problem("the source cannot replay its changes since the checkpoint: " + replay.impossible());
    }
    return new Assessment(Assessment.Kind.RESUME, null, List.copyOf(found), replay);
  }

  private static Assessment problem(String problem) {
    return new Assessment(Assessment.Kind.PROBLEM, problem, List.of(), null);
  }

  /** The refusal of a target that can neither be resumed nor started on, without {@code --force}. */
  dev.spirit.error.SpiritException refusal(String problem) {
    return Preflight.refuse(ErrorCode.PREFLIGHT_FAILED, "refusing to move into " + Identifiers.quote(targetSchema)
        + ": " + problem + ". Nothing was changed. Run with --force to drop the target tables of this move and the"
        + " checkpoint and copy again from the start.");
  }

  /**
   * Decides, before anything changes, whether this run resumes; with {@code force}, drops what stands in the way of a
   * fresh start.
   *
   * @param match whether each target table has the definition the move gives it
   */
  void decide(Connection source, Connection target, Duration maxAge, boolean force, DefinitionMatch match)
      throws SQLException {
    Assessment found = assess(source, target, maxAge, match);
    switch (found.kind()) {
      case FRESH -> { }
      case EMPTY_CHECKPOINT -> {
        LOG.warn("{} is empty: an earlier run stopped before its first checkpoint; dropping its target tables and"
            + " starting afresh", checkpoints.quotedName());
        dropAll(target);
      }
      case RESUME -> {
        ResumeDecision.Replay replay = found.replay();
        if (replay.relocatedBecause() != null) {
          LOG.warn("the checkpoint's source binlog offset cannot be used ({}); its GTID set is found in the source's"
              + " binlog, so its changes are replayed from {}", replay.relocatedBecause(), replay.from());
        }
        resumedFrom = found.found().get(0).from(replay.from());
        for (int i = 0; i < tables.size(); i++) {
          tables.get(i).resumeFrom(found.found().get(i).from(replay.from()));
        }
      }
      case PROBLEM -> {
        if (!force) {
          throw refusal(found.problem());
        }
        LOG.warn("--force: {}; dropping the target tables of this move and its checkpoint", found.problem());
        dropAll(target);
      }
    }
  }

  private long checkpointRows(Connection target) throws SQLException {
    try (var s = target.createStatement(); var rs = s.executeQuery("SELECT COUNT(*) FROM "
        + checkpoints.quotedName())) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** How the move checks a target table's definition: by its printed text, or by its shape between flavours. */
  @FunctionalInterface
  interface DefinitionMatch {
    /**
     * What differs between the target table of the run's {@code table}-th table and the definition the move gives
     * it, with or without its plain secondary indexes; null when nothing does.
     */
    String difference(Connection target, int table, boolean withSecondaryIndexes) throws SQLException;
  }

  private String freshProblem(Connection target, DefinitionMatch match) throws SQLException {
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < tables.size(); i++) {
      String name = tables.get(i).table();
      if (!TableInfo.exists(target, targetSchema, name)) {
        continue;
      }
      if (!TargetTables.isEmpty(target, targetSchema, name)) {
        problems.add(quoted(name) + " exists and holds rows");
        continue;
      }
      String difference = match.difference(target, i, !deferredIndexes);
      if (difference != null) {
        problems.add(quoted(name) + " exists with another definition (" + difference + ")");
      }
    }
    return problems.isEmpty() ? null : String.join("; ", problems);
  }

  private String resumeProblem(Connection target, List<Checkpoint> found, Duration maxAge, DefinitionMatch match)
      throws SQLException {
    if (found.size() != tables.size()) {
      return "its checkpoint " + checkpoints.quotedName() + " is of another move (it has " + found.size()
          + " table row(s), this move has " + tables.size() + ")";
    }
    for (int i = 0; i < tables.size(); i++) {
      Checkpoint c = found.get(i);
      TableMove t = tables.get(i);
      if (!description.equals(c.statement()) || !t.table().equals(c.originalTable())) {
        return "its checkpoint " + checkpoints.quotedName() + " is of another move (" + c.statement() + ")";
      }
      if (c.age().compareTo(maxAge) > 0) {
        return "its checkpoint is " + ProgressReporter.format(c.age()) + " old, older than --checkpoint-max-age";
      }
      if (!t.definition().equals(c.sourceDefinition())) {
        return "the definition of " + t.quoted() + " changed since the checkpoint was written";
      }
      if (!TableInfo.exists(target, targetSchema, t.table())) {
        return "the checkpoint is there but " + quoted(t.table()) + " is not";
      }
      // Deferred indexes may have been built before the earlier run stopped.
      String difference = match.difference(target, i, !deferredIndexes);
      if (difference != null && deferredIndexes && match.difference(target, i, true) == null) {
        difference = null;
      }
      if (difference != null) {
        return quoted(t.table()) + " no longer has the definition the move created (" + difference + ")";
      }
    }
    return null;
  }

  /**
   * Fresh: creates the checkpoint table, empty (a table without rows tells the next run that this one died before its
   * first checkpoint), and returns the source's current position. Resumed: the checkpoint's position.
   */
  BinlogPosition prepare(Connection target, BinlogPosition sourceHead) throws SQLException {
    if (resumedFrom == null) {
      checkpoints.create(target);
      return sourceHead;
    }
    LOG.info("resuming the move from its checkpoint: binlog {}, checkpoint age {}",
        Checkpoint.formatPosition(resumedFrom.position()), ProgressReporter.format(resumedFrom.age()));
    return resumedFrom.position();
  }

  CheckpointWriter writer(DataSource targetPool, BinlogSubscription binlog, AdvisoryLock lock) {
    return new CheckpointWriter(targetPool, checkpoints, description, () -> {
      lock.checkHeld(); // a run that lost its lock must not overwrite the checkpoint of one that took it
      BinlogPosition position = binlog.checkpointPosition();
      List<CheckpointTable.TableState> states = new ArrayList<>();
      for (TableMove t : tables) {
        CheckpointTable.TableState state = t.checkpointState();
        if (state == null) {
          return Optional.empty();
        }
        states.add(state);
      }
      return Optional.of(new CheckpointWriter.State(position, states));
    });
  }

  /** Drops every target table of this move and the checkpoint. */
  void dropAll(Connection target) throws SQLException {
    for (TableMove t : tables) {
      TargetTables.drop(target, targetSchema, t.table());
    }
    checkpoints.drop(target);
  }

  void dropCheckpoint(DataSource targetPool) {
    try (Connection c = targetPool.getConnection()) {
      checkpoints.drop(c);
    } catch (SQLException e) {
      LOG.warn("could not drop {}: {}", checkpoints.quotedName(), e.getMessage());
    }
  }

  /** The target tables and the checkpoint, quoted, for messages. */
  String quotedState() {
    return tables.stream().map(t -> quoted(t.table())).collect(Collectors.joining(", ")) + " and "
        + checkpoints.quotedName();
  }

  /** After a failure: keeps the target's state for a resume, or drops it; returns what to tell the operator. */
  String cleanUp(DataSource targetPool, boolean keep, String sourceTables) {
    if (keep) {
      return "spirit: " + sourceTables + " unchanged on the source; kept " + quotedState() + ": running the same"
          + " command again resumes from the last checkpoint (or run with --force to start over)";
    }
    try (Connection c = targetPool.getConnection()) {
      dropAll(c);
    } catch (SQLException e) {
      LOG.warn("could not drop the target tables of the move: {}", e.getMessage());
      return "spirit: " + sourceTables + " unchanged on the source; dropping " + quotedState() + " failed ("
          + e.getMessage() + "); drop them by hand";
    }
    return "spirit: " + sourceTables + " unchanged on the source; the target tables of the move were dropped";
  }
}
