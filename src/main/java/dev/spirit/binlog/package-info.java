/**
 * Following the binlog: which rows of the migrated table changed after the migration's start position.
 *
 * <p>Owns: {@link dev.spirit.binlog.BinlogSubscription} (the replica connection), {@link dev.spirit.binlog.ChangeBuffer}
 * (keys of changed rows, merged), {@link dev.spirit.binlog.KeyCodec} (keys out of row images, back into exact SQL).
 *
 * <p>Invariants: the subscription starts at a position taken before the first chunk is read; a key enters the buffer
 * before the position after its event is published as received, so "received up to P" means every change up to P
 * is in the buffer; DDL on the source or new table, a decoding failure or a lost connection fails the run, never
 * silently drops events. Each key is recorded with the start of its transaction (a GTID event), and the buffer keeps
 * drained keys "in flight" until their refresh commits, so {@link dev.spirit.binlog.BinlogSubscription#checkpointPosition}
 * never passes a change that is not yet in the new table.
 */
package dev.spirit.binlog;
