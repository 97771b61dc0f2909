/**
 * The swap of the original tables and their new tables, all of a run's at once.
 *
 * <p>Owns: {@link dev.spirit.cutover.Cutover} (attempts, outcomes read from the tables present), the
 * {@link dev.spirit.cutover.CutoverStrategy} seam with its two implementations (one session's LOCK TABLES and
 * RENAME for one table on MySQL; the sentry tables with one lock session per table otherwise), and
 * {@link dev.spirit.db.TableLockSessions} (the table locks, taken without holding one while waiting for another).
 *
 * <p>Invariants: every table's name always exists (no client sees error 1146); all tables are renamed by one
 * RENAME TABLE, so no client sees one table new and another old; the rename happens only after every definition is
 * found unchanged and every change up to the lock has been applied under the lock; nothing writes to an old table
 * after the rename; with the sentry tables a table's lock is released only on the server's evidence that the rename
 * is queued on that table, table by table in the rename's lock order, never on a timing; taking the locks never
 * holds one table while waiting for another (an application transaction would lose the deadlock); an attempt that fails before its rename leaves the original table in place
 * and in use; any failure after the rename was sent is resolved by reading which tables exist, or stops the run for a
 * human.
 */
package dev.spirit.cutover;
