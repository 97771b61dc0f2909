/**
 * Verifying the new tables against their sources before any rename. The seams:
 * {@link dev.spirit.checksum.ChecksumPair} compares and repairs one pair ({@link dev.spirit.checksum.SameServerPair}
 * on one server, {@link dev.spirit.checksum.CrossServerPair} across two), {@link dev.spirit.checksum.SnapshotSource}
 * opens a pass's snapshots ({@link dev.spirit.checksum.LockedSnapshots}, on one server or two); a
 * {@link dev.spirit.checksum.Snapshot} has a session on each side, one and the same on one server.
 *
 * <p>Invariants: every pair of every table of a run is compared in snapshots opened together under one table lock, after every change up to
 * that moment has been applied; only a pass with no difference lets the run go on; repairs re-copy whole ranges in a
 * transaction and always force another full pass; a difference that survives the passes stops the run, naming a new
 * unique key when duplicates are the cause. Row hashes are not linear over XOR (64 bits of MD5, never a CRC) and
 * every value is length-prefixed, so neither equal changes of two rows nor a value moved across columns cancel out.
 */
package dev.spirit.checksum;
