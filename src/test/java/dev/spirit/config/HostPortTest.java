package dev.spirit.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HostPortTest {

  @ParameterizedTest
  @CsvSource({
    "db, db, 3306, db:3306",
    "db:3307, db, 3307, db:3307",
    "10.0.0.1, 10.0.0.1, 3306, 10.0.0.1:3306",
    "[::1], ::1, 3306, [::1]:3306",
    "[::1]:3307, ::1, 3307, [::1]:3307",
    "[fe80::1%eth0]:1, fe80::1%eth0, 1, [fe80::1%eth0]:1",
    "db.example.com:65535, db.example.com, 65535, db.example.com:65535",
  })
  void parsesHostAndOptionalPort(String text, String host, int port, String printed) {
    HostPort parsed = HostPort.parse(text, 3306);
    assertThat(parsed.host()).isEqualTo(host);
    assertThat(parsed.port()).isEqualTo(port);
    assertThat(parsed).hasToString(printed);
  }

  @Test
  void usesTheGivenPortOnlyWhenTheTextHasNone() {
    assertThat(HostPort.parse("db", 3310).port()).isEqualTo(3310);
    assertThat(HostPort.parse("db:3307", 3310).port()).isEqualTo(3307);
    assertThat(HostPort.explicitPort("db")).isEmpty();
    assertThat(HostPort.explicitPort("[::1]:4000")).hasValue(4000);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "::1| looks like an IPv6 address; put it in brackets",
        "fe80::1:3306| looks like an IPv6 address",
        "db:| has an invalid port ''",
        "db:abc| has an invalid port 'abc'",
        "db:0| has an invalid port '0'",
        "db:65536| has an invalid port '65536'",
        "db:-1| has an invalid port '-1'",
        ":3306| has a port but no host",
        "[::1| has no closing ']'",
        "[db]:3306| brackets are only for IPv6",
        "[::1]3306| expected ':port' after ']'",
        "d b| contains whitespace",
      })
  void rejectsMalformedAddresses(String text, String problem) {
    assertThatThrownBy(() -> HostPort.parse(text, 3306))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(problem);
  }

  @Test
  void rejectsAnEmptyHost() {
    assertThatThrownBy(() -> HostPort.parse("", 3306)).hasMessage("host must not be empty");
  }

  @Test
  void readsABarePort() {
    assertThat(HostPort.parsePort("3307")).isEqualTo(3307);
    assertThatThrownBy(() -> HostPort.parsePort("3306x")).hasMessageContaining("is not a port");
    assertThatThrownBy(() -> HostPort.parsePort("70000")).hasMessageContaining("between 1 and 65535");
  }
}
