/**
 * Table metadata and the division of a table into primary-key ranges.
 *
 * <p>Owns: {@link dev.spirit.table.TableInfo} (columns, key, indexes, size estimate from information_schema),
 * {@link dev.spirit.table.Chunker} and its {@link dev.spirit.table.Chunk}s, helper-table naming and identifier
 * quoting.
 *
 * <p>Invariants: chunks are consecutive, disjoint and together cover every possible key; range boundaries are
 * compared only by the server (bound as parameters), except for all-integer keys where Java's order is the server's;
 * the low watermark only ever covers a prefix of completed chunks.
 */
package dev.spirit.table;
