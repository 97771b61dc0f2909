/**
 * The row copier: moves the source table into the new table range by range, in parallel.
 *
 * <p>Invariants: the copy never locks source rows (server-side consistent reads under READ COMMITTED); it never
 * overwrites a row already present in the new table (INSERT IGNORE); any warning other than a duplicate key stops
 * the run before anything is renamed, naming the server's warning.
 */
package dev.spirit.copier;
