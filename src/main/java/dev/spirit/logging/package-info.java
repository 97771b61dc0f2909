/**
 * Logging setup: SLF4J everywhere, Logback at run time, java.util.logging bridged in.
 *
 * <p>Invariants: log output goes to stderr only (stdout is for requested output); the level is INFO unless
 * {@code --verbose} asks for DEBUG.
 */
package dev.spirit.logging;
