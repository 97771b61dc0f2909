package dev.spirit.config;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@code spirit sentinel status|release}: which schema's sentinel, how fresh a run's heartbeat must be to count as
 * alive, and, for a release, optionally one run's owner; {@code status} writes its answer as text or as one JSON
 * object.
 */
public record SentinelRequest(ConnectionSettings connection, Duration maxAge, Optional<String> owner,
    StatusFormat statusFormat) {
  public static final Duration MIN_MAX_AGE = Duration.ofSeconds(6);

  /** Human output. */
  public SentinelRequest(ConnectionSettings connection, Duration maxAge, Optional<String> owner) {
    this(connection, maxAge, owner, StatusFormat.TEXT);
  }

  public SentinelRequest {
    Objects.requireNonNull(statusFormat, "statusFormat");
    Objects.requireNonNull(connection, "connection");
    Objects.requireNonNull(owner, "owner");
    OptionChecks.between("--max-age", Objects.requireNonNull(maxAge, "maxAge"), MIN_MAX_AGE, Duration.ofDays(1));
  }
}
