/**
 * The {@code migrate} runner: composes preflight, the advisory lock, the INSTANT/INPLACE attempt, the copy and
 * change application, the checksum, the cutover and the cleanup into one run.
 *
 * <p>Invariants: nothing is changed before every preflight check passed; until the cutover starts, any failure or
 * cancellation removes the shadow table and leaves the original exactly as it was; the cutover starts only after a
 * clean checksum pass.
 */
package dev.spirit.migration;
