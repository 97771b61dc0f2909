package dev.spirit.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MysqlDsnTest {
  private static final String PASSWORD = "pa:ss@w/rd";

  @Test
  void readsAFullDsn() {
    MysqlDsn dsn = MysqlDsn.parse("--source-dsn", "app:" + PASSWORD + "@tcp(db.example:3307)/shop");
    assertThat(dsn.user()).isEqualTo("app");
    assertThat(dsn.password().reveal()).isEqualTo(PASSWORD);
    assertThat(dsn.address()).isEqualTo(new HostPort("db.example", 3307));
    assertThat(dsn.schema()).isEqualTo("shop");
    assertThat(dsn.params()).isEmpty();
  }

  /** A parameter spirit would not honour (tls=true would not make the connection use TLS) is refused. */
  @Test
  void refusesParametersItWouldNotHonour() {
    assertThatThrownBy(() -> MysqlDsn.parse("--source-dsn", "app:" + PASSWORD + "@tcp(h:1)/shop?tls=true&x=a%20b"))
        .isInstanceOf(InvalidOptionException.class)
        .hasMessageContaining("DSN parameters are not supported (tls, x)")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("pa:ss"));
  }

  @ParameterizedTest
  @CsvSource({
    "/db, '', 127.0.0.1:3306, db",
    "u@/db, u, 127.0.0.1:3306, db",
    "u@tcp/db, u, 127.0.0.1:3306, db",
    "u:p@tcp(h)/db, u, h:3306, db",
    "u:p@tcp([::1]:4000)/, u, [::1]:4000, ''",
    "tcp(h:1)/db, '', h:1, db",
    "u:p@tcp6([::1])/db, u, [::1]:3306, db",
  })
  void fillsInTheGoDriverDefaults(String text, String user, String address, String schema) {
    MysqlDsn dsn = MysqlDsn.parse("--target-dsn", text);
    assertThat(dsn.user()).isEqualTo(user);
    assertThat(dsn.address()).hasToString(address);
    assertThat(dsn.schema()).isEqualTo(schema);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "u:s3cret@tcp(h:1)db| the '/' before the schema name is missing",
        "u:" + PASSWORD + "@unix(/tmp/mysql.sock)/db| only tcp(host:port) addresses are supported",
        "u:" + PASSWORD + "@tcp(h:1/db| the address must be closed with ')'",
        "u:" + PASSWORD + "@tcp(::1)/db| the address in tcp(...) is not host[:port]",
        "u:" + PASSWORD + "@tcp(h:1)/db?tls| parameters after '?' must be name=value pairs",
        "u:" + PASSWORD + "@tcp(h:1)/db?a=%zz| a parameter value has a bad %-escape",
      })
  void refusesWithoutQuotingTheDsn(String text, String problem) {
    assertThatThrownBy(() -> MysqlDsn.parse("--source-dsn", text))
        .isInstanceOf(InvalidOptionException.class)
        .hasMessageStartingWith("--source-dsn: not a valid DSN (" + problem)
        .hasMessageEndingWith("expected user:password@tcp(host:port)/schema")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("pa:ss", "s3cret"))
        .satisfies(e -> assertThat(((InvalidOptionException) e).options()).containsExactly("--source-dsn"));
  }

  @Test
  void printsWithoutThePassword() {
    MysqlDsn dsn = MysqlDsn.parse("--source-dsn", "app:" + PASSWORD + "@tcp(h:1)/shop");
    assertThat(dsn).hasToString("app:<redacted>@tcp(h:1)/shop");
    assertThat(dsn.password()).hasToString("<redacted>");
  }
}
