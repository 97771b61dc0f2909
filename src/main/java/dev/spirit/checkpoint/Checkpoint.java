package dev.spirit.checkpoint;

import dev.spirit.db.BinlogPosition;
import java.time.Duration;
import java.util.List;

/**
 * One saved resume point of a migration.
 *
 * @param watermark every key below it is in the new table as of {@code position}; null once the copy completed
 * @param position where the binlog subscription restarts (a transaction boundary, file and offset only)
 * @param statement the change exactly as the operator gave it; a re-run must give the same text
 * @param originalTable the migrated table's name (helper names are truncated, so they may collide)
 * @param copyCompleted whether every row had been copied
 * @param age how long ago the checkpoint was written, by the server's clock
 * @param sourceDefinition the table's definition when the run started ({@link dev.spirit.table.TableDefinition}): a
 *     resume is only valid for the same one, since a change that never reached the binlog would not be replayed
 */
public record Checkpoint(List<Object> watermark, BinlogPosition position, String statement, String originalTable,
    boolean copyCompleted, Duration age, String sourceDefinition) {

  /** {@code binlog.000047:104857600}, the stored form. */
  public static String formatPosition(BinlogPosition p) {
    return p.file() + ":" + p.position();
  }

  /** @throws IllegalArgumentException when the text is not {@code file:offset} */
  public static BinlogPosition parsePosition(String text) {
    int colon = text == null ? -1 : text.lastIndexOf(':');
    if (colon <= 0 || colon == text.length() - 1) {
      throw new IllegalArgumentException("not a binlog position file:offset: " + text);
    }
    long offset = Long.parseLong(text.substring(colon + 1));
    if (offset < 4) {
      throw new IllegalArgumentException("not a binlog position file:offset: " + text);
    }
    return new BinlogPosition(text.substring(0, colon), offset, null);
  }
}
