package dev.spirit.migration;

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
}
