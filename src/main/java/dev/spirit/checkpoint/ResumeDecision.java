package dev.spirit.checkpoint;

import dev.spirit.db.BinlogPosition;
import dev.spirit.error.SpiritException;
import dev.spirit.status.ProgressReporter;
import java.time.Duration;
import java.util.Collection;
import java.util.Optional;

/** What a run does with what an earlier run left behind: start fresh, resume from a checkpoint, or refuse. */
public sealed interface ResumeDecision {

  /** Start over; {@code reason} says why a leftover was discarded, null when nothing was left behind. */
  record Fresh(String reason) implements ResumeDecision {}

  record Resume(Checkpoint checkpoint) implements ResumeDecision {}

  /** The state could not be judged (e.g. the connection failed): keep everything and fail the run. */
  record Refuse(String reason) implements ResumeDecision {}

  /** What was found on the server, already read; a definitive read failure is in {@code unreadable}. */
  /** @param sourceDefinition the table's definition now */
  /**
   * @param gtidsPurged whether the server has purged transactions the checkpoint's GTID set lacks; null when the
   *     checkpoint has no set or the server cannot tell (the binlog files are checked either way)
   * @param takenElsewhere why the checkpoint's GTID set was read on another server; null when nothing says so
   */
  record Found(boolean shadowExists, boolean checkpointTableExists, Optional<Checkpoint> checkpoint,
      String unreadable, Collection<String> binlogFiles, String sourceDefinition, Boolean gtidsPurged,
      String takenElsewhere) {
    Found(boolean shadowExists, boolean checkpointTableExists, Optional<Checkpoint> checkpoint, String unreadable,
        Collection<String> binlogFiles, String sourceDefinition, Boolean gtidsPurged) {
      this(shadowExists, checkpointTableExists, checkpoint, unreadable, binlogFiles, sourceDefinition, gtidsPurged,
          null);
    }

    Found(boolean shadowExists, boolean checkpointTableExists, Optional<Checkpoint> checkpoint, String unreadable,
        Collection<String> binlogFiles, String sourceDefinition) {
      this(shadowExists, checkpointTableExists, checkpoint, unreadable, binlogFiles, sourceDefinition, null, null);
    }
  }

  /**
   * The rules, as a pure function. Every reason to start fresh is definitive: the checkpoint can never become
   * usable, so keeping it would only block every later run.
   */
  static ResumeDecision decide(Found found, String statement, String table, Duration maxAge, String shadowName,
      String checkpointName) {
    if (!found.shadowExists() && !found.checkpointTableExists()) {
      return new Fresh(null);
    }
    if (!found.checkpointTableExists()) {
      return new Fresh(shadowName + " exists without a checkpoint table " + checkpointName);
    }
    if (!found.shadowExists()) {
      return new Fresh(checkpointName + " exists without the shadow table " + shadowName);
    }
    if (found.unreadable() != null) {
      return new Fresh("the checkpoint cannot be read: " + found.unreadable());
    }
    if (found.checkpoint().isEmpty()) {
      return new Fresh("no checkpoint was written (the earlier run stopped before its first one)");
    }
    Checkpoint cp = found.checkpoint().get();
    if (!cp.statement().equals(statement)) {
      return new Fresh("the checkpoint is for a different statement: " + SpiritException.excerpt(cp.statement()));
    }
    if (!cp.originalTable().equals(table)) {
      return new Fresh("the checkpoint belongs to table `" + cp.originalTable() + "`, not `" + table + "`");
    }
    if (cp.age().compareTo(maxAge) >= 0) {
      return new Fresh("the checkpoint is " + ProgressReporter.format(cp.age()) + " old, older than"
          + " --checkpoint-max-age " + ProgressReporter.format(maxAge));
    }
    if (!cp.sourceDefinition().equals(found.sourceDefinition())) {
      return new Fresh("the definition of `" + table + "` changed since the checkpoint was written, by a statement"
          + " the binlog may not hold (sql_log_bin=0), so its replay cannot bring the shadow table up to date");
    }
    String unreplayable = unreplayable(cp.position(), found.binlogFiles(), found.gtidsPurged(),
        found.takenElsewhere());
    if (unreplayable != null) {
      return new Fresh(unreplayable);
    }
    return new Resume(cp);
  }

  /**
   * Why a subscription cannot start at {@code position} on the server with these binlog files, or null when it can.
   * It starts at the file and offset, so the file must be there whatever the GTIDs say; on MySQL a transaction purged
   * outside the set (a purge the file list alone would miss) rules it out too.
   *
   * @param gtidsPurged whether the server purged a transaction outside the position's GTID set; null when unknown
   * @param takenElsewhere why the position was taken on another server; null when nothing says so
   */
  public static String unreplayable(BinlogPosition position, Collection<String> binlogFiles, Boolean gtidsPurged,
      String takenElsewhere) {
    if (takenElsewhere != null) {
      return "the checkpoint does not belong to this server: " + takenElsewhere;
    }
    if (Boolean.TRUE.equals(gtidsPurged)) {
      return "the server has purged binlog transactions after the checkpoint's GTID set " + position.gtidSet()
          + " (see @@gtid_purged), so the changes made since cannot be replayed";
    }
    if (!binlogFiles.contains(position.file())) {
      return "binlog file " + position.file() + " of the checkpoint is no longer on the server";
    }
    return null;
  }
}
