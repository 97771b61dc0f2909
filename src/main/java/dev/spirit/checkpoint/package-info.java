/**
 * Checkpoints and resume of {@code migrate}: the table {@code _<table>_chkpnt} (named after a run's first table),
 * the periodic writer, and the rules that decide whether a re-run resumes, starts fresh or refuses.
 *
 * <p>Owns: {@link dev.spirit.checkpoint.CheckpointTable} (one row per table of the run, all written by one statement
 * with one binlog position: copier watermark W as typed JSON, binlog position
 * P as {@code file:offset}, the statement text, the original table name, whether the copy completed, and the
 * server's write time), {@link dev.spirit.checkpoint.CheckpointWriter}, {@link dev.spirit.checkpoint.WatermarkCodec},
 * {@link dev.spirit.checkpoint.ResumeDecision} and {@link dev.spirit.checkpoint.ResumeInspector}.
 *
 * <p>The invariant: a checkpoint (P, W) is valid only if every binlog change before P to a key below W (to any key,
 * once the copy completed) is already in the new table. Therefore:
 * <ul>
 *   <li>P is the start of the oldest transaction with a key still pending in the change buffer or drained by the
 *       applier and not yet committed (in flight), or, with none, the last transaction boundary the subscription
 *       fully handled; never the subscription's mid-transaction read position. P is always a transaction boundary
 *       (the position of a GTID event, after a commit, or a rotation's target), where a binlog client can start with
 *       the table maps it needs.</li>
 *   <li>P is read before W: keys changed after P are replayed on resume anyway, and W only grows.</li>
 *   <li>Rows at or above W may be stale (ranges completed out of order, refreshes of later keys), and the copy's
 *       INSERT IGNORE would never overwrite them, so a resume first deletes every key {@code >= W} from the new
 *       table, then copies from W and follows the binlog from P; the checksum then verifies the whole table.</li>
 * </ul>
 *
 * <p>Resume decisions: only reasons that can never change lead to a fresh start (no checkpoint row, one of the two
 * tables missing, 1146/1054 or unreadable content, a different statement or table, older than
 * {@code --checkpoint-max-age}, binlog file purged); anything else (connection errors, timeouts) refuses to start
 * and keeps both tables. A write failure other than a transient one stops the run.
 */
package dev.spirit.checkpoint;
