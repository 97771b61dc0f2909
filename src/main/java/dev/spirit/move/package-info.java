/**
 * {@code spirit move}: tables of one schema copied to a schema on another server (of either flavour), kept in sync
 * from the source's binlog, verified across both servers, and cut over by renaming the source tables to
 * {@code <table>_old} under their lock. It owns the move's preflight ({@link dev.spirit.move.MovePreflight}), its state
 * on the target (tables and {@code _spirit_move_checkpoint}, {@link dev.spirit.move.MoveState}), what a run and a dry
 * run both learn before changing anything ({@link dev.spirit.move.MoveInspection}, {@link dev.spirit.move.MoveDryRun})
 * and the runner that
 * composes the engine's two-server parts ({@link dev.spirit.copier.CrossServerCopy},
 * {@link dev.spirit.applier.CrossServerRefresh}, {@link dev.spirit.checksum.CrossServerPair} and
 * {@link dev.spirit.checksum.LockedSnapshots}) with the phases it shares with a migration
 * ({@link dev.spirit.migration.CopyPhase}, {@link dev.spirit.migration.WhileWaiting}).
 *
 * <p>Invariants: the source tables are only read until the cutover; every change committed on the source after the
 * subscription's start reaches the target, through the copy or the applier; the rename happens only under the lock,
 * after every change is on the target and the hook succeeded, so no write lands in a source table after the target
 * is complete; a failed run leaves the source exactly as it was; a dry run changes neither server.
 */
package dev.spirit.move;
