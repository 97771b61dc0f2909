package dev.spirit.applier;

import dev.spirit.binlog.ChangeBuffer;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Brings one new table up to date with the changed keys of its source, as {@link ChangeDrain} needs it. The
 * {@link Applier} refreshes keys on one server; an applier that reads the source on one server and writes the
 * target on another is a second implementation of the same seam.
 */
public interface ChangeApplier {

  /** The keys waiting to be refreshed. */
  ChangeBuffer buffer();

  /** Refreshes the keys the selection takes, without table locks; returns how many. */
  int flush(Applier.Selection selection) throws InterruptedException;

  /** Refreshes every pending key while writers are locked out, on the lock holder's connection. */
  int flushAll(Connection lockHolder) throws SQLException;
}
