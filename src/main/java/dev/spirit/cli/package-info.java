/**
 * The command line: picocli commands, converters and handlers that turn arguments, {@code SPIRIT_*} environment
 * variables and the {@code --conf} file into a validated {@link dev.spirit.config.MigrateConfig} or
 * {@link dev.spirit.config.MoveConfig}, and hand it to {@link dev.spirit.cli.CommandHandlers}.
 *
 * <p>Invariants: no business logic here; parsing rules and validation live in {@link dev.spirit.config}. Requested
 * output (help, version, completion script) goes to the out writer, everything else to the err writer. A usage
 * problem is one line plus a usage hint and exit 2; a failure is {@code spirit: <message>} and the exit code of its
 * {@link dev.spirit.error.ErrorCode}; stack traces only with {@code --verbose}. Passwords are never printed: their
 * options hide defaults and error messages never echo stray arguments or option values that may hold one. Nothing
 * below {@link dev.spirit.cli.Main#main} reads the process environment or exits the JVM. The completion script and
 * the man pages ({@link dev.spirit.cli.ManPages}, run by the build) are generated from the same command model as the
 * parser, never written by hand.
 */
package dev.spirit.cli;
