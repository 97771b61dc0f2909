package dev.spirit.checkpoint;

import dev.spirit.db.BinlogPosition;
import java.time.Duration;
import java.util.List;

/**
 * One saved resume point of a migration.
 *
 * @param watermark every key below it is in the new table as of {@code position}; null once the copy completed
 * @param position where the binlog subscription restarts: a transaction boundary, by file and offset, and with the
 *     GTID set executed up to it when the server has GTIDs (the subscription then restarts from the set)
 * @param statement the change exactly as the operator gave it; a re-run must give the same text
 * @param originalTable the migrated table's name (helper names are truncated, so they may collide)
 * @param copyCompleted whether every row had been copied
 * @param age how long ago the checkpoint was written, by the server's clock
 * @param sourceDefinition the table's definition when the run started ({@link dev.spirit.table.TableDefinition}): a
 *     resume is only valid for the same one, since a change that never reached the binlog would not be replayed
 */
public record Checkpoint(List<Object> watermark, BinlogPosition position, String statement, String originalTable,
    boolean copyCompleted, Duration age, String sourceDefinition) {

  /** This checkpoint, replayed from {@code start} instead. */
  public Checkpoint from(BinlogPosition start) {
    return start.equals(position) ? this : new Checkpoint(watermark, start, statement, originalTable, copyCompleted,
        age, sourceDefinition);
  }

  /** What {@code binlog_position} holds at most (its column is VARCHAR(600)). */
  static final int STORED_MAX = 600;
  private static final String GTIDS = " gtid=";

  /**
   * {@code binlog.000047:104857600}, the stored form, followed by {@code  gtid=<set>} when the position has a GTID
   * set that fits the column (a fleet server's set of many UUIDs may not: then file and offset are kept alone).
   */
  public static String formatPosition(BinlogPosition p) {
    String file = p.file() + ":" + p.position();
    if (p.hasGtidSet() && file.length() + GTIDS.length() + p.gtidSet().length() <= STORED_MAX) {
      return file + GTIDS + p.gtidSet();
    }
    return file;
  }

  /** @throws IllegalArgumentException when the text is not {@code file:offset[ gtid=<set>]} */
  public static BinlogPosition parsePosition(String text) {
    String gtids = null;
    if (text != null && text.contains(GTIDS)) {
      gtids = text.substring(text.indexOf(GTIDS) + GTIDS.length()).trim();
      text = text.substring(0, text.indexOf(GTIDS));
      if (gtids.isEmpty()) {
        throw new IllegalArgumentException("an empty GTID set after the binlog position: " + text);
      }
    }
    int colon = text == null ? -1 : text.lastIndexOf(':');
    if (colon <= 0 || colon == text.length() - 1) {
      throw new IllegalArgumentException("not a binlog position file:offset: " + text);
    }
    long offset = Long.parseLong(text.substring(colon + 1));
    if (offset < 4) {
      throw new IllegalArgumentException("not a binlog position file:offset: " + text);
    }
    return new BinlogPosition(text.substring(0, colon), offset, gtids);
  }
}
