package dev.spirit.config;

import java.util.Objects;
import java.util.Optional;

/**
 * How a run reports, apart from the human lines on stderr, and whether it only plans: JSON status lines on stdout, a
 * Prometheus endpoint for the life of the run, a dry run that changes nothing.
 *
 * @param metricsListen where {@code --metrics-listen} serves {@code /metrics}; empty without it
 */
public record Reporting(StatusFormat statusFormat, boolean dryRun, Optional<HostPort> metricsListen) {
  /** Human lines only, a real run, no endpoint. */
  public static final Reporting TEXT = new Reporting(StatusFormat.TEXT, false, Optional.empty());

  public Reporting {
    Objects.requireNonNull(statusFormat, "statusFormat");
    Objects.requireNonNull(metricsListen, "metricsListen");
    if (dryRun && metricsListen.isPresent()) {
      throw new InvalidOptionException(OptionNames.METRICS_LISTEN + " serves a run's metrics, and a --dry-run has"
          + " none; run the dry run without it", OptionNames.METRICS_LISTEN, "--dry-run");
    }
  }
}
