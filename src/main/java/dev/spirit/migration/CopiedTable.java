package dev.spirit.migration;

import dev.spirit.applier.Applier;
import java.sql.SQLException;

/**
 * One table as the {@link CopyPhase} drives it while its rows are copied: a migration's table on its own server, or a
 * move's table copied to another.
 */
public interface CopiedTable {

  /** Applies the changes the copy allows now; returns how many keys were refreshed. */
  int applyDuringCopy() throws InterruptedException, SQLException;

  boolean copyComplete();

  /** The table, quoted with its schema, for messages. */
  String quoted();

  long rowsCopied();

  /** The source's row estimate, for progress. */
  long estimatedRows();

  /** The table's change applier; null until it starts. */
  Applier applier();

  /** How far the copy is, 0 to 1, against the table's estimate. */
  default double copyFraction() {
    return copyComplete() ? 1 : Math.min(1, (double) rowsCopied() / Math.max(1, estimatedRows()));
  }
}
