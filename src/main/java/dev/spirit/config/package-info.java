/**
 * Configuration: what a run was asked to do, as immutable, validated records ({@link dev.spirit.config.MigrateConfig},
 * {@link dev.spirit.config.MoveConfig}), the value syntaxes they accept (Go durations, byte sizes, host[:port], Go
 * MySQL DSNs), and the layers values come from below the command line ({@link dev.spirit.config.ConfigSources}:
 * environment, then the MySQL option file).
 *
 * <p>Invariants: plain Java, no picocli. A record that exists is valid; its constructor refuses a bad value with an
 * {@link dev.spirit.config.InvalidOptionException} (or a {@code CONFIG_FILE} error for the option file) that names the
 * option, the value and what is allowed, and never corrects a value silently. Passwords live only in
 * {@link dev.spirit.config.Secret}, so no record, DSN or error message prints one.
 */
package dev.spirit.config;
