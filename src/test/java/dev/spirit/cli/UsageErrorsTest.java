package dev.spirit.cli;

import static dev.spirit.cli.CliHarness.migrate;
import static dev.spirit.cli.CliHarness.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.spirit.cli.CliHarness.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every usage problem: exit 2, one line saying what is wrong, one line pointing at the help, the engine untouched. */
class UsageErrorsTest {
  private static final String MIGRATE_HINT = "Try 'spirit migrate --help' for usage.";

  @TempDir Path dir;

  static Stream<Arguments> badMigrateOptions() {
    return Stream.of(
        bad("--threads: must be between 1 and 64, got 0", "--threads", "0"),
        bad("--threads: must be between 1 and 64, got 65", "--threads=65"),
        bad("--write-threads: must be between 1 and 64, got 0", "--write-threads", "0"),
        bad("--threads: 'four' is not an int", "--threads", "four"),
        bad("--threads: needs a value", "--threads"),
        bad("--threads: given more than once", "--threads", "2", "--threads", "3"),
        bad("--target-chunk-size: must be greater than 0 bytes, got 0", "--target-chunk-size", "0"),
        bad("--target-chunk-size: '1.5MiB' is not a byte size; use a whole number of bytes, optionally with KiB,"
            + " MiB, GiB, KB, MB or GB", "--target-chunk-size", "1.5MiB"),
        bad("--lock-wait-timeout: must be between 1s and 8760h, got 500ms", "--lock-wait-timeout", "500ms"),
        bad("--lock-wait-timeout: must be between 1s and 8760h, got -5s", "--lock-wait-timeout=-5s"),
        bad("--lock-wait-timeout: 'soon' is not a duration; use Go syntax such as 30s, 1h30m or 500ms",
            "--lock-wait-timeout", "soon"),
        bad("--lock-wait-timeout: '30' has no unit; durations need one, such as 30s", "--lock-wait-timeout", "30"),
        bad("--defer-cutover-timeout: must be greater than 0s, got 0s", "--defer-cutover-timeout", "0s"),
        bad("--defer-cutover: 'yes' is not a boolean", "--defer-cutover=yes"),
        bad("--replica-max-lag: must be between 10s and 4h, got 5s", "--replica-max-lag", "5s"),
        bad("--replica-max-lag: must be between 10s and 4h, got 5h", "--replica-max-lag", "5h"),
        bad("--checkpoint-max-age: must be greater than 0s, got 0s", "--checkpoint-max-age", "0"),
        bad("--replica-dsn: not a valid DSN (only tcp(host:port) addresses are supported); expected"
            + " user:password@tcp(host:port)/schema", "--replica-dsn", "u:p@unix(/s)/"),
        bad("--tls-mode: 'strict' is not a TLS mode; use one of DISABLED, PREFERRED, REQUIRED, VERIFY_CA,"
            + " VERIFY_IDENTITY", "--tls-mode", "strict"),
        bad("--tls-ca: the CA file /no/such/ca.pem does not exist", "--tls-ca", "/no/such/ca.pem"),
        bad("--host: '::1' looks like an IPv6 address; put it in brackets, such as [::1]:3306", "--host", "::1"),
        bad("--host: 'db:0' has an invalid port '0'; use a number between 1 and 65535", "--host", "db:0"),
        bad("--username: must not be empty", "--username", ""),
        bad("--statement cannot be combined with --table/--alter; give one form only", "--table", "t"),
        bad("unknown option '--thread' (did you mean --threads?)", "--thread", "4"),
        bad("--conf: /no/such/my.cnf does not exist", "--conf", "/no/such/my.cnf"));
  }

  private static Arguments bad(String message, String... extra) {
    return Arguments.of(message, extra);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badMigrateOptions")
  void aBadMigrateOptionIsOneLineAndExit2(String message, String[] extra) {
    assertUsageError(run(migrate(extra)), "spirit migrate: " + message);
  }

  @Test
  void migrateWithoutAChangeNamesTheOptions() {
    assertUsageError(run("migrate"),
        "spirit migrate: no change given: use --statement '<ALTER TABLE ...>', or --table with --alter");
    assertUsageError(run("migrate", "--table", "t"), "spirit migrate: --table needs --alter (or use --statement)");
    assertUsageError(run("migrate", "--alter", "ADD c INT"),
        "spirit migrate: --alter needs --table (or use --statement)");
    assertUsageError(run("migrate", "--statement", " "), "spirit migrate: --statement: must not be empty");
  }

  @Test
  void aBogusFlagIsReportedWithoutItsValue() {
    assertUsageError(run("migrate", "--bogus=hunter2"), "spirit migrate: unknown option '--bogus'");
    assertUsageError(run("--bogus"), "spirit: unknown option '--bogus'", "Try 'spirit --help' for usage.");
  }

  @Test
  void aStrayArgumentIsNotEchoed() {
    assertUsageError(run(migrate("--password=", "hunter2")),
        "spirit migrate: unexpected argument at position 5; this command takes only options (quote values that"
            + " contain spaces)");
  }

  @Test
  void aValueFromTheEnvironmentSaysSo() {
    assertUsageError(run(Map.of("SPIRIT_THREADS", "0"), migrate()),
        "spirit migrate: --threads: must be between 1 and 64, got 0 (from SPIRIT_THREADS)");
    assertUsageError(run(Map.of("SPIRIT_LOCK_WAIT_TIMEOUT", "soon"), migrate()),
        "spirit migrate: --lock-wait-timeout: 'soon' is not a duration; use Go syntax such as 30s, 1h30m or 500ms"
            + " (from SPIRIT_LOCK_WAIT_TIMEOUT)");
    assertUsageError(run(Map.of("SPIRIT_STATEMENT", "ALTER TABLE t ADD c INT"), "migrate", "--table", "t"),
        "spirit migrate: --statement cannot be combined with --table/--alter; give one form only"
            + " (--statement from SPIRIT_STATEMENT)");
  }

  @Test
  void aValueFromTheOptionFileNamesFileAndLine() throws IOException {
    Path conf = Files.writeString(dir.resolve("my.cnf"), "[client]\nuser=app\nssl-ca=/no/such/ca.pem\n");
    assertUsageError(run(migrate("--conf", conf.toString())),
        "spirit migrate: --tls-ca: the CA file /no/such/ca.pem does not exist (from " + conf + " line 3)");
  }

  @Test
  void aBrokenOptionFileIsAUsageErrorNamingIt() throws IOException {
    Path conf = Files.writeString(dir.resolve("my.cnf"), "[client]\n!include /etc/secret.cnf\n");
    assertUsageError(run(migrate("--conf", conf.toString())), "spirit migrate: --conf: " + conf
        + " line 2: !include and !includedir are not supported; put the [client] settings in this file");
    assertUsageError(run(Map.of("SPIRIT_CONF", dir.toString()), migrate()),
        "spirit migrate: --conf: " + dir + " is a directory, not an option file");
  }

  @Test
  void aBrokenSpiritConfDoesNotStopVersionOrHelp() {
    Map<String, String> env = Map.of("SPIRIT_CONF", "/no/such/my.cnf");
    assertThat(run(env, "--version").exitCode()).isZero();
    assertThat(run(env, "migrate", "--help").exitCode()).isZero();
  }

  @Test
  void aBadMoveOptionIsOneLineAndExit2() {
    assertUsageError(run("move", "--threads", "0"), "spirit move: --threads: must be between 1 and 64, got 0",
        "Try 'spirit move --help' for usage.");
    assertUsageError(run("move", "--reverse-window", "-1m"), "spirit move: --reverse-window: must not be negative,"
        + " got -1m", "Try 'spirit move --help' for usage.");
    assertUsageError(run("move", "--conf", "x.cnf"), "spirit move: unknown option '--conf'",
        "Try 'spirit move --help' for usage.");
  }

  private static void assertUsageError(Result result, String firstLine) {
    assertUsageError(result, firstLine, MIGRATE_HINT);
  }

  private static void assertUsageError(Result result, String firstLine, String hint) {
    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.out()).isEmpty();
    assertThat(result.errLines()).containsExactly(firstLine, hint);
    assertThat(result.config()).isNull();
  }
}
