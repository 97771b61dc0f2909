/**
 * The {@code migrate} runner: composes preflight, the advisory lock, the INSTANT/INPLACE attempt, the copy and
 * change application, the checksum, the cutover and the cleanup into one run, and ({@code Resumption}) decides
 * whether it resumes from what an earlier run left behind.
 *
 * <p>Invariants: nothing is changed before every preflight check passed; until the cutover starts the original stays
 * exactly as it was; a cancellation or failure removes the shadow and checkpoint tables, except a lost connection, a
 * failed binlog stream or a sentinel timeout, which keep both for a resume; a resumed run's sentinel row is back to
 * {@code copying} before any other work; the cutover starts only after a clean checksum pass of the whole table.
 */
package dev.spirit.migration;
