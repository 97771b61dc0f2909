/**
 * The error model: one root exception ({@link dev.spirit.error.SpiritException}) carrying an
 * {@link dev.spirit.error.ErrorCode}, and the process {@link dev.spirit.error.ExitCode}s it maps to.
 *
 * <p>Invariants: every failure the operator can see is a {@code SpiritException} with a message that names what
 * failed, why, and how to fix it; the exit code is decided by the error code alone.
 */
package dev.spirit.error;
