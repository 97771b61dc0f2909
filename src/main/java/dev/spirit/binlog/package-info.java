/**
 * Following the binlog: which rows of the migrated tables changed after the migration's start position. One
 * subscription serves every table of a run and dispatches rows events by table id to each table's buffer.
 *
 * <p>Owns: {@link dev.spirit.binlog.BinlogSubscription} (the supervised replica connection: heartbeats, reconnects
 * from a transaction boundary), {@code TableEvents} (what one event means for the table), {@code DdlGuard} (which
 * statements stop the run), {@code EventDecoding} and {@code ExactCells} (the library's deserializer set up to decode
 * key values exactly and compressed payloads with the same rules), {@link dev.spirit.binlog.ChangeBuffer} (keys of
 * changed rows, merged and bounded), {@link dev.spirit.binlog.KeyCodec} (keys out of row images, back into exact SQL).
 *
 * <p>Invariants:
 * <ul>
 *   <li>The subscription starts at a position taken before the first chunk is read; a key enters the buffer before the
 *       position after its event is published as received, so "received up to P" means every change up to P is in
 *       the buffer.
 *   <li>It fails closed: an event it cannot account for (an unknown type, a statement-format change, a row image
 *       without the key, a table map whose columns differ from the definition, DDL that changes a watched table or
 *       makes something depend on it) stops the run; nothing is skipped but, on MySQL, a transaction whose GTID the
 *       start's set already holds (it ran before the start; only a start found from a GTID set meets one). Names are compared as the server compares
 *       them ({@link dev.spirit.table.NameCase}).
 *   <li>A connection is only ever (re)started at a transaction boundary, and the events of a replaced connection are
 *       dropped; a lost connection costs re-reading, never a change. A connection that reaches another server than the
 *       first one did (a failover behind the address; {@code SourceServer}) fails the subscription. Connections start at a file and offset, never at a
 *       GTID set (the server would scan its binlog from a file's start and report no position while it skips); when
 *       the server has GTIDs the subscription keeps the executed set itself ({@link dev.spirit.binlog.ExecutedGtids})
 *       and every boundary carries the set executed before it (a transaction's GTID joins only at its commit).
 *   <li>Each key is recorded with the start of its transaction, and the buffer keeps drained keys "in flight" until
 *       their refresh commits, so {@link dev.spirit.binlog.BinlogSubscription#checkpointPosition} never passes a
 *       change that is not yet in the new table.
 *   <li>No SQL runs on the reader's thread, and nothing the reader waits for holds a lock while it runs SQL.
 * </ul>
 */
package dev.spirit.binlog;
