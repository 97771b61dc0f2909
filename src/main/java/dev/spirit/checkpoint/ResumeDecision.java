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

  /**
   * Resume from {@code checkpoint}, whose position is where this server's binlog replays from.
   *
   * @param relocatedBecause why the recorded file and offset were replaced by the place this server's binlog holds
   *     what follows the checkpoint's GTID set; null when they were used as recorded
   */
  record Resume(Checkpoint checkpoint, String relocatedBecause) implements ResumeDecision {
    public Resume(Checkpoint checkpoint) {
      this(checkpoint, null);
    }
  }

  /** The state could not be judged (e.g. the connection failed): keep everything and fail the run. */
  record Refuse(String reason) implements ResumeDecision {}

  /** What was found on the server, already read; a definitive read failure is in {@code unreadable}. */
  /** @param sourceDefinition the table's definition now */
  /**
   * @param gtidsPurged whether the server has purged transactions the checkpoint's GTID set lacks; null when the
   *     checkpoint has no set or the server cannot tell (the binlog files are checked either way)
   * @param takenElsewhere why the checkpoint's GTID set was read on another server; null when nothing says so
   * @param located where this server's binlog holds every transaction after the checkpoint's GTID set; null when it
   *     does not, or the checkpoint has no set
   */
  record Found(boolean shadowExists, boolean checkpointTableExists, Optional<Checkpoint> checkpoint,
      String unreadable, Collection<String> binlogFiles, String sourceDefinition, Boolean gtidsPurged,
      String takenElsewhere, BinlogPosition located) {
    Found(boolean shadowExists, boolean checkpointTableExists, Optional<Checkpoint> checkpoint, String unreadable,
        Collection<String> binlogFiles, String sourceDefinition, Boolean gtidsPurged, String takenElsewhere) {
      this(shadowExists, checkpointTableExists, checkpoint, unreadable, binlogFiles, sourceDefinition, gtidsPurged,
          takenElsewhere, null);
    }

    Found(boolean shadowExists, boolean checkpointTableExists, Optional<Checkpoint> checkpoint, String unreadable,
        Collection<String> binlogFiles, String sourceDefinition, Boolean gtidsPurged) {
      this(shadowExists, checkpointTableExists, checkpoint, unreadable, binlogFiles, sourceDefinition, gtidsPurged,
          null, null);
    }

    Found(boolean shadowExists, boolean checkpointTableExists, Optional<Checkpoint> checkpoint, String unreadable,
        Collection<String> binlogFiles, String sourceDefinition) {
      this(shadowExists, checkpointTableExists, checkpoint, unreadable, binlogFiles, sourceDefinition, null, null,
          null);
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
    Replay replay = Replay.judge(cp.position(), found.binlogFiles(), found.gtidsPurged(), found.takenElsewhere(),
        found.located());
    if (replay.impossible() != null) {
      return new Fresh(replay.impossible());
    }
    return new Resume(cp.from(replay.from()), replay.relocatedBecause());
  }

  /**
   * Where a subscription on a server replays a checkpoint's changes from: its own file and offset when they are this
   * server's binlog; else, with a GTID set, the place this server's binlog holds every transaction after it (a
   * promoted replica's binlog, after a failover behind the same address); else nowhere.
   *
   * @param from where to start; null when {@code impossible}
   * @param relocatedBecause why the recorded file and offset were not used; null when they were
   * @param impossible why no start serves the checkpoint; null when one does
   */
  record Replay(BinlogPosition from, String relocatedBecause, String impossible) {

    /** @param located see {@link Found#located} */
    public static Replay judge(BinlogPosition position, Collection<String> binlogFiles, Boolean gtidsPurged,
        String takenElsewhere, BinlogPosition located) {
      String unusable = unreplayable(position, binlogFiles, gtidsPurged, takenElsewhere);
      if (unusable == null) {
        return new Replay(position, null, null);
      }
      if (located != null) {
        return new Replay(located, unusable, null);
      }
      boolean lookedForSet = position.hasGtidSet() && !Boolean.TRUE.equals(gtidsPurged);
      return new Replay(null, null, unusable + (lookedForSet ? "; nor does this server's binlog hold every"
          + " transaction after the checkpoint's GTID set" : ""));
    }
  }

  /**
   * Why a subscription cannot start at {@code position}'s own file and offset on the server with these binlog files,
   * or null when it can: the offset must be this server's and its file still there; on MySQL a transaction purged
   * outside the set (a purge the file list alone would miss) rules it out too.
   *
   * @param gtidsPurged whether the server purged a transaction outside the position's GTID set; null when unknown
   * @param takenElsewhere why the position was taken on another server; null when nothing says so
   */
  static String unreplayable(BinlogPosition position, Collection<String> binlogFiles, Boolean gtidsPurged,
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
