package dev.spirit.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigRecordsTest {
  private static final ByteSize CHUNK = new ByteSize(16 << 20);
  private static final CutoverSettings CUTOVER =
      new CutoverSettings(Duration.ofSeconds(30), false, Duration.ofHours(48));
  private static final ReplicaThrottle NO_REPLICAS = new ReplicaThrottle(List.of(), Duration.ofSeconds(120));
  private static final TlsSettings TLS = new TlsSettings(TlsMode.PREFERRED, Optional.empty());

  @TempDir Path dir;

  @Test
  void threadCountsMustBeBetween1And64() {
    new CopySettings(1, 64, CHUNK);
    refused(() -> new CopySettings(0, 4, CHUNK), "--threads: must be between 1 and 64, got 0", "--threads");
    refused(() -> new CopySettings(65, 4, CHUNK), "--threads: must be between 1 and 64, got 65", "--threads");
    refused(() -> new CopySettings(4, 0, CHUNK), "--write-threads: must be between 1 and 64, got 0",
        "--write-threads");
  }

  @Test
  void chunkSizeMustBePositive() {
    refused(() -> new CopySettings(4, 4, new ByteSize(0)),
        "--target-chunk-size: must be greater than 0 bytes, got 0", "--target-chunk-size");
  }

  @Test
  void lockWaitTimeoutIsWholeSecondsFrom1sToAYear() {
    new CutoverSettings(Duration.ofSeconds(1), false, Duration.ofHours(48));
    new CutoverSettings(Duration.ofSeconds(31_536_000), false, Duration.ofHours(48));
    refused(() -> new CutoverSettings(Duration.ofMillis(999), false, Duration.ofHours(1)),
        "--lock-wait-timeout: must be between 1s and 8760h, got 999ms", "--lock-wait-timeout");
    refused(() -> new CutoverSettings(Duration.ofSeconds(-5), false, Duration.ofHours(1)),
        "--lock-wait-timeout: must be between 1s and 8760h, got -5s", "--lock-wait-timeout");
    refused(() -> new CutoverSettings(Duration.ofSeconds(31_536_001), false, Duration.ofHours(1)),
        "--lock-wait-timeout: must be between 1s and 8760h, got 8760h1s", "--lock-wait-timeout");
    refused(() -> new CutoverSettings(Duration.ofMillis(1500), false, Duration.ofHours(1)),
        "--lock-wait-timeout: must be a whole number of seconds (MySQL counts lock_wait_timeout in seconds),"
            + " got 1.5s",
        "--lock-wait-timeout");
  }

  @Test
  void deferCutoverTimeoutMustBePositive() {
    refused(() -> new CutoverSettings(Duration.ofSeconds(30), true, Duration.ZERO),
        "--defer-cutover-timeout: must be greater than 0s, got 0s", "--defer-cutover-timeout");
  }

  @Test
  void replicaMaxLagIsBetween10sAnd4h() {
    new ReplicaThrottle(List.of(), Duration.ofSeconds(10));
    new ReplicaThrottle(List.of(), Duration.ofHours(4));
    refused(() -> new ReplicaThrottle(List.of(), Duration.ofSeconds(9)),
        "--replica-max-lag: must be between 10s and 4h, got 9s", "--replica-max-lag");
    refused(() -> new ReplicaThrottle(List.of(), Duration.ofHours(4).plusSeconds(1)),
        "--replica-max-lag: must be between 10s and 4h, got 4h1s", "--replica-max-lag");
  }

  @Test
  void replicaDsnsAreCommaSeparated() {
    assertThat(ReplicaThrottle.parseDsnList(null)).isEmpty();
    assertThat(ReplicaThrottle.parseDsnList("")).isEmpty();
    List<MysqlDsn> two = ReplicaThrottle.parseDsnList("u:p@tcp(r1:3306)/, u:p@tcp(r2)/");
    assertThat(two).extracting(d -> d.address().toString()).containsExactly("r1:3306", "r2:3306");
    refused(() -> ReplicaThrottle.parseDsnList("u:p@tcp(r1)/,,u:p@tcp(r2)/"),
        "--replica-dsn: DSN number 2 of 3 is empty", "--replica-dsn");
    refused(() -> ReplicaThrottle.parseDsnList("u:p@tcp(r1)"),
        "--replica-dsn: not a valid DSN (the '/' before the schema name is missing); expected"
            + " user:password@tcp(host:port)/schema",
        "--replica-dsn");
  }

  @Test
  void aCaFileMustBeAReadableFile() throws IOException {
    Path ca = Files.writeString(dir.resolve("ca.pem"), "-----BEGIN CERTIFICATE-----\n");
    assertThat(new TlsSettings(TlsMode.VERIFY_CA, Optional.of(ca)).caFile()).hasValue(ca);
    Path missing = dir.resolve("missing.pem");
    refused(() -> new TlsSettings(TlsMode.REQUIRED, Optional.of(missing)),
        "--tls-ca: the CA file " + missing + " does not exist", "--tls-ca");
    refused(() -> new TlsSettings(TlsMode.REQUIRED, Optional.of(dir)),
        "--tls-ca: the CA file " + dir + " is not a regular file", "--tls-ca");
  }

  @Test
  void tlsModesAreCaseInsensitive() {
    assertThat(TlsMode.parse("verify_identity")).isEqualTo(TlsMode.VERIFY_IDENTITY);
    assertThatThrownBy(() -> TlsMode.parse("VERIFY-CA"))
        .hasMessage("'VERIFY-CA' is not a TLS mode; use one of DISABLED, PREFERRED, REQUIRED, VERIFY_CA,"
            + " VERIFY_IDENTITY");
  }

  @Test
  void userAndDatabaseMustNotBeEmpty() {
    HostPort host = new HostPort("db", 3306);
    refused(() -> new ConnectionSettings(host, " ", Secret.of("p"), "test", TLS), "--username: must not be empty",
        "--username");
    refused(() -> new ConnectionSettings(host, "u", Secret.of("p"), "", TLS), "--database: must not be empty",
        "--database");
    assertThat(new ConnectionSettings(host, "u", Secret.of(""), "test", TLS).password().isEmpty()).isTrue();
  }

  @Test
  void theChangeIsAStatementOrATableWithItsAlter() {
    assertThat(SchemaChange.fromOptions("ALTER TABLE t ADD c INT", null, null))
        .isEqualTo(new SchemaChange.Statement("ALTER TABLE t ADD c INT"));
    SchemaChange shorthand = SchemaChange.fromOptions(null, "t", "ADD COLUMN c INT");
    assertThat(shorthand).isEqualTo(new SchemaChange.TableAlter("t", "ADD COLUMN c INT"));
    assertThat(shorthand.sql()).isEqualTo("ALTER TABLE `t` ADD COLUMN c INT");
  }

  @Test
  void theShorthandQuotesTheTableAndDropsATrailingSemicolon() {
    assertThat(new SchemaChange.TableAlter("we`ird", " ADD INDEX (a) ; ").sql())
        .isEqualTo("ALTER TABLE `we``ird` ADD INDEX (a)");
  }

  @Test
  void theTwoFormsAreExclusiveAndOneIsRequired() {
    refused(() -> SchemaChange.fromOptions(null, null, null),
        "no change given: use --statement '<ALTER TABLE ...>', or --table with --alter");
    refused(() -> SchemaChange.fromOptions("ALTER TABLE t ADD c INT", "t", null),
        "--statement cannot be combined with --table/--alter; give one form only", "--statement", "--table");
    refused(() -> SchemaChange.fromOptions("ALTER TABLE t ADD c INT", null, "ADD c INT"),
        "--statement cannot be combined with --table/--alter; give one form only", "--statement", "--alter");
    refused(() -> SchemaChange.fromOptions(null, "t", null), "--table needs --alter (or use --statement)",
        "--table");
    refused(() -> SchemaChange.fromOptions(null, null, "ADD c INT"), "--alter needs --table (or use --statement)",
        "--alter");
  }

  @Test
  void shorthandValuesAreChecked() {
    refused(() -> SchemaChange.fromOptions(" ", null, null), "--statement: must not be empty", "--statement");
    refused(() -> SchemaChange.fromOptions(null, "shop.t", "ADD c INT"),
        "--table: takes a table name without a schema; give the schema with --database", "--table");
    refused(() -> SchemaChange.fromOptions(null, "t", "alter table t add c int"),
        "--alter: takes only the clauses, such as 'ADD COLUMN c INT'; for a whole statement use --statement",
        "--alter");
    refused(() -> SchemaChange.fromOptions(null, "t", ""), "--alter: must not be empty", "--alter");
  }

  @Test
  void checkpointMaxAgeMustBePositive() {
    refused(() -> migrateConfig(Duration.ZERO), "--checkpoint-max-age: must be greater than 0s, got 0s",
        "--checkpoint-max-age");
  }

  @Test
  void aMoveNeedsTwoDifferentSchemas() {
    MysqlDsn source = MysqlDsn.parse("--source-dsn", "u:p@tcp(h:1)/shop");
    refused(() -> moveConfig(source, MysqlDsn.parse("--target-dsn", "v:q@tcp(h:1)/shop"), Duration.ZERO),
        "--source-dsn and --target-dsn name the same schema (shop on h:1); a move needs a different target",
        "--source-dsn", "--target-dsn");
    refused(() -> moveConfig(source, MysqlDsn.parse("--target-dsn", "u:p@tcp(h:2)/"), Duration.ZERO),
        "--target-dsn: the DSN names no schema after '/'; move copies one schema", "--target-dsn");
    refused(() -> moveConfig(source, MysqlDsn.parse("--target-dsn", "u:p@tcp(h:2)/shop"), Duration.ofSeconds(-1)),
        "--reverse-window: must not be negative, got -1s", "--reverse-window");
  }

  @Test
  void recordsNeverPrintPasswords() {
    MigrateConfig migrate = migrateConfig(Duration.ofHours(1));
    assertThat(migrate.toString()).doesNotContain("hunter2").contains("<redacted>");
    MoveConfig move = moveConfig(MysqlDsn.parse("--source-dsn", "u:hunter2@tcp(h:1)/a"),
        MysqlDsn.parse("--target-dsn", "u:hunter2@tcp(h:2)/a"), Duration.ZERO);
    assertThat(move.toString()).doesNotContain("hunter2");
  }

  private static MigrateConfig migrateConfig(Duration checkpointMaxAge) {
    return new MigrateConfig(
        new ConnectionSettings(new HostPort("db", 3306), "u", Secret.of("hunter2"), "test", TLS),
        new SchemaChange.Statement("ALTER TABLE t ADD c INT"),
        new CopySettings(4, 4, CHUNK),
        CUTOVER,
        false,
        new ReplicaThrottle(ReplicaThrottle.parseDsnList("r:hunter2@tcp(r)/"), Duration.ofSeconds(120)),
        checkpointMaxAge);
  }

  private static MoveConfig moveConfig(MysqlDsn source, MysqlDsn target, Duration reverseWindow) {
    return new MoveConfig(source, target, new CopySettings(2, 4, CHUNK), CUTOVER, NO_REPLICAS, TLS,
        Duration.ofHours(168), false, false, reverseWindow, java.util.List.of(), null);
  }

  private static void refused(ThrowingCallable action, String message, String... options) {
    assertThatThrownBy(action)
        .isInstanceOf(InvalidOptionException.class)
        .hasMessage(message)
        .satisfies(e -> assertThat(((InvalidOptionException) e).options()).containsExactly(options));
  }
}
