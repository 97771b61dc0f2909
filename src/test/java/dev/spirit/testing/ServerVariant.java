package dev.spirit.testing;

import java.util.List;

/**
 * How a test server is configured beyond the flavour. Tests run on {@link #STANDARD} servers unless their
 * {@link ServerTest} asks for another variant; each variant of each flavour is started once per test run.
 */
public enum ServerVariant {
  /** As the suite's servers have always been: case-sensitive names, UTC. */
  STANDARD("", List.of()),
  /**
   * {@code lower_case_table_names=1} (names stored in lower case, compared without case, as on Windows and on some
   * managed services) and a non-UTC {@code time_zone}, the two settings under which names and temporal values are
   * easiest to get wrong. MySQL takes the first only at {@code --initialize}.
   */
  LOWER_CASE_NAMES_NON_UTC("-lctn1", List.of("--lower-case-table-names=1", "--default-time-zone=+05:30")),
  /** A second standard server of each flavour: the target of {@code spirit move} tests ({@link TestServers#moveTarget}). */
  MOVE_TARGET("-target", List.of()),
  /**
   * A server that replicates from the standard server of its flavour once a test asks for it
   * ({@link TestServers#replicaOf}); its own server id, so the primary's events are not taken for its own.
   */
  REPLICA("-replica", List.of("--server-id=2", "--relay-log=relay-bin", "--log-slave-updates"));

  /** The offset the non-UTC variant runs in, for tests that compute expected values. */
  public static final String NON_UTC_ZONE = "+05:30";

  private final String suffix;
  private final List<String> options;

  ServerVariant(String suffix, List<String> options) {
    this.suffix = suffix;
    this.options = options;
  }

  /** Appended to the launcher's name and the server's id: {@code mysql-8.0-lctn1}, {@code mariadb-10.11.18-lctn1}. */
  String suffix() {
    return suffix;
  }

  /** Server options of this variant; the same for both flavours. */
  List<String> options() {
    return options;
  }

  /** Whether MySQL must be initialised with this variant's options (lower_case_table_names is fixed at init). */
  boolean fixedAtInitialize() {
    return options.stream().anyMatch(o -> o.startsWith("--lower-case-table-names"));
  }
}
