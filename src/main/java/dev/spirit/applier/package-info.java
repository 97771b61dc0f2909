/**
 * Applying concurrent changes: brings the new table's rows for changed keys up to date with the source.
 *
 * <p>Invariants: a refresh re-reads the source's current row on the server and never locks source rows; refreshes
 * are idempotent and order-independent; keys whose refresh failed return to the buffer; any conversion warning stops
 * the run, as in the copy.
 */
package dev.spirit.applier;
