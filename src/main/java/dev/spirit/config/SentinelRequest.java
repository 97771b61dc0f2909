package dev.spirit.config;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@code spirit sentinel status|release}: which schema's sentinel, how fresh a run's heartbeat must be to count as
 * alive, and, for a release, optionally one run's owner.
 */
public record SentinelRequest(ConnectionSettings connection, Duration maxAge, Optional<String> owner) {
  public static final Duration MIN_MAX_AGE = Duration.ofSeconds(6);

  public SentinelRequest {
    Objects.requireNonNull(connection, "connection");
    Objects.requireNonNull(owner, "owner");
    OptionChecks.between("--max-age", Objects.requireNonNull(maxAge, "maxAge"), MIN_MAX_AGE, Duration.ofDays(1));
  }
}
