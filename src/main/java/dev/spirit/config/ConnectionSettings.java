package dev.spirit.config;

import java.util.Objects;

/** Where and as whom {@code migrate} connects. The password is a {@link Secret}, so this record prints safely. */
public record ConnectionSettings(
    HostPort host, String username, Secret password, String database, TlsSettings tls) {
  public ConnectionSettings {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(password, "password");
    Objects.requireNonNull(tls, "tls");
    OptionChecks.notBlank(OptionNames.USERNAME, Objects.requireNonNull(username, "username"));
    OptionChecks.notBlank(OptionNames.DATABASE, Objects.requireNonNull(database, "database"));
  }
}
