/**
 * The {@code migrate} runner: composes preflight, the advisory locks, the INSTANT/INPLACE attempt (one table only),
 * the copy and change application, the checksum, the cutover and the cleanup into one run of one or several tables,
 * and ({@code Resumption}) decides whether it resumes from what an earlier run left behind. Each table's state and
 * parts live in a {@code TableMigration}; the runner holds none of them itself. {@code DryRun} makes the same checks
 * ({@code Inspection}, shared with the run) and plans, changing nothing.
 *
 * <p>Invariants: nothing is changed before every preflight check of every table passed; until the cutover starts the
 * originals stay exactly as they were; the tables of a run share one binlog subscription, one checksum lock and one
 * cutover, and resume together or start afresh together; a cancellation or failure removes the shadow and checkpoint tables, except a lost connection, a
 * failed binlog stream or a sentinel timeout, which keep both for a resume; a resumed run's sentinel row is back to
 * {@code copying} before any other work; the cutover starts only after a clean checksum pass of the whole table.
 */
package dev.spirit.migration;
