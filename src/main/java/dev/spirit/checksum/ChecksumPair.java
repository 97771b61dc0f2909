package dev.spirit.checksum;

import dev.spirit.table.Chunk;
import dev.spirit.table.Chunker;
import dev.spirit.table.TableInfo;
import java.sql.SQLException;
import java.util.List;

/**
 * One source table and its new table, as the checksum compares them range by range. {@link SameServerPair} reads
 * both sides on one server; a pair whose new table is on another server (a move) is a second implementation, read
 * through the two connections of each {@link Snapshot}.
 */
public interface ChecksumPair {

  TableInfo source();

  TableInfo target();

  /** A fresh chunker over the source's keys for one pass. */
  Chunker chunker();

  /** A range's row count and the XOR of its rows' hashes (an unsigned 64-bit value, kept as its digits). */
  record Sum(long rows, String hash) {}

  Sum sourceSum(Snapshot snapshot, Chunker chunker, Chunk chunk) throws SQLException;

  Sum targetSum(Snapshot snapshot, Chunker chunker, Chunk chunk) throws SQLException;

  /**
   * Re-copies one range of the new table from the source in one transaction (retrying a lost deadlock).
   *
   * @return the unique keys of the new definition that refused rows of the source as duplicates
   */
  List<String> repair(Chunker chunker, Chunk chunk) throws SQLException;
}
