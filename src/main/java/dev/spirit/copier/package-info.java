/**
 * The row copier: moves source tables into their new tables range by range, in parallel, the least advanced table
 * first. {@link dev.spirit.copier.RangeCopy} is the seam: {@link dev.spirit.copier.InsertSelectCopy} copies a range
 * on one server; a copy between two servers is another implementation, scheduled the same way.
 *
 * <p>Invariants: the copy never locks source rows (server-side consistent reads under READ COMMITTED); it never
 * overwrites a row already present in the new table (INSERT IGNORE); any warning other than a duplicate key stops
 * the run before anything is renamed, naming the server's warning.
 */
package dev.spirit.copier;
