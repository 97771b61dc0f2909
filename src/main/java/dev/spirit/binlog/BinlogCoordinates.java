package dev.spirit.binlog;

import dev.spirit.db.BinlogPosition;

/** Ordering of binlog file/offset positions: by the file's sequence number, then by offset. */
final class BinlogCoordinates {
  private BinlogCoordinates() {}

  /** Negative, zero or positive as {@code a} is before, at or after {@code b}. */
  static int compare(String fileA, long posA, String fileB, long posB) {
    int byFile = Long.compare(sequence(fileA), sequence(fileB));
    return byFile != 0 ? byFile : Long.compare(posA, posB);
  }

  static boolean reached(BinlogPosition received, BinlogPosition target) {
    return compare(received.file(), received.position(), target.file(), target.position()) >= 0;
  }

  private static long sequence(String file) {
    int dot = file.lastIndexOf('.');
    try {
      return Long.parseLong(file.substring(dot + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("binlog file name without a sequence number: " + file, e);
    }
  }
}
