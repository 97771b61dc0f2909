package dev.spirit.checkpoint;

import dev.spirit.db.BinlogPosition;
import dev.spirit.db.ServerFlavor;
import dev.spirit.table.TableDefinition;
import dev.spirit.table.TableInfo;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Reads what an earlier run left behind and decides, without changing anything. Only errors that say the checkpoint
 * can never be used (no table: 1146, another column layout: 1054, unreadable content) lead to a fresh start; any
 * other failure (connection, timeout, lock wait) leads to {@link ResumeDecision.Refuse}, which keeps both tables.
 */
public final class ResumeInspector {
  static final int NO_SUCH_TABLE = 1146;
  static final int UNKNOWN_COLUMN = 1054;

  private ResumeInspector() {}

  /**
   * Judges what was left behind for one table of a run.
   *
   * @param index the table's place in the run, from 1: its row in the checkpoint table
   */
  public static ResumeDecision inspect(DataSource pool, CheckpointTable checkpoints, int index, String schema,
      String shadow, String statement, String table, Duration maxAge) {
    try (Connection c = pool.getConnection()) {
      boolean shadowExists = TableInfo.exists(c, schema, shadow);
      boolean checkpointExists = checkpoints.exists(c);
      if (!shadowExists || !checkpointExists) {
        return ResumeDecision.decide(new ResumeDecision.Found(shadowExists, checkpointExists, Optional.empty(),
            null, List.of(), null), statement, table, maxAge, shadow, checkpoints.name());
      }
      Optional<Checkpoint> checkpoint = Optional.empty();
      String unreadable = null;
      try {
        checkpoint = checkpoints.read(c, index);
      } catch (SQLException e) {
        if (e.getErrorCode() != NO_SUCH_TABLE && e.getErrorCode() != UNKNOWN_COLUMN) {
          throw e;
        }
        unreadable = e.getErrorCode() + " " + e.getMessage();
      } catch (IllegalArgumentException e) {
        unreadable = e.getMessage();
      }
      GtidJudgement gtids = checkpoint.isPresent() ? GtidJudgement.of(c, checkpoint.get().position())
          : GtidJudgement.NONE;
      return ResumeDecision.decide(new ResumeDecision.Found(true, true, checkpoint, unreadable,
          ServerFlavor.binlogFiles(c), TableDefinition.read(c, schema, table), gtids.purged(), gtids.takenElsewhere(),
          gtids.located()), statement, table, maxAge, shadow, checkpoints.name());
    } catch (SQLException e) {
      return new ResumeDecision.Refuse(e.getErrorCode() + " " + e.getMessage());
    }
  }

  /** Where the binlog of the server {@code c} is connected to replays from for {@code position}, if anywhere. */
  public static ResumeDecision.Replay replay(Connection c, BinlogPosition position) throws SQLException {
    GtidJudgement gtids = GtidJudgement.of(c, position);
    return ResumeDecision.Replay.judge(position, ServerFlavor.binlogFiles(c), gtids.purged(), gtids.takenElsewhere(),
        gtids.located());
  }

  /**
   * What the server says about a position's GTID set: all null when the position has none. The set is only looked
   * for in the binlog when the recorded offset cannot be used, since that reads the start of every file.
   */
  private record GtidJudgement(Boolean purged, String takenElsewhere, BinlogPosition located) {
    static final GtidJudgement NONE = new GtidJudgement(null, null, null);

    static GtidJudgement of(Connection c, BinlogPosition position) throws SQLException {
      if (!position.hasGtidSet()) {
        return NONE;
      }
      ServerFlavor flavor = ServerFlavor.detect(c);
      Boolean purged = flavor.purgedBeyond(c, position.gtidSet());
      String elsewhere = flavor.takenElsewhere(c, position);
      boolean offsetUsable = elsewhere == null && !Boolean.TRUE.equals(purged)
          && ServerFlavor.binlogFiles(c).contains(position.file());
      return new GtidJudgement(purged, elsewhere, offsetUsable ? null : flavor.locateGtidSet(c, position.gtidSet()));
    }
  }
}
