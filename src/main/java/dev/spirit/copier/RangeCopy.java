package dev.spirit.copier;

import dev.spirit.table.Chunk;
import dev.spirit.table.Chunker;
import java.sql.SQLException;
import java.util.Set;

/**
 * How the rows of one key range of one table reach its new table. {@link InsertSelectCopy} copies on one server;
 * a copy between two servers (rows read from one, written to the other) is another implementation of the same seam,
 * and {@link Copier} schedules either kind.
 */
public interface RangeCopy {

  /** The ranges of the source table, handed out in key order. */
  Chunker chunker();

  /** About how many rows the source holds, for scheduling tables so that they progress together. */
  long estimatedRows();

  /**
   * Copies one range; must be idempotent, since a range may be copied again (a retried deadlock, a resume).
   *
   * @return the rows written
   */
  long copy(Chunk chunk) throws SQLException;

  /** Unique keys other than the primary key on which the copy met duplicates (the checksum decides). */
  Set<String> duplicateKeys();
}
