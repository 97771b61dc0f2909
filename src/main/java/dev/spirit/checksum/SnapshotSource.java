package dev.spirit.checksum;

import java.sql.SQLException;
import java.util.List;

/**
 * Opens the snapshots of one checksum pass: every worker's {@link Snapshot} must see every source and new table at
 * one moment, when each pair is equal (every change up to then applied). {@link LockedSnapshots} does it on one server
 * or on two, with the sources locked while the snapshots open.
 */
public interface SnapshotSource {

  /**
   * @param workers how many snapshots
   * @return the snapshots, and how long the application's writes were held to open them
   */
  Opened open(int workers) throws SQLException, InterruptedException;

  record Opened(List<Snapshot> snapshots, long writeHoldMillis) {}
}
