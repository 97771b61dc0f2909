package dev.spirit.status;

import dev.spirit.config.HostPort;
import dev.spirit.config.OptionNames;
import dev.spirit.error.ErrorCode;
import dev.spirit.error.SpiritException;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

/**
 * {@code --metrics-listen}: a Prometheus text endpoint at {@code /metrics} for the life of the run, with upstream
 * Spirit's metric names where it has them ({@code workflow_phase}, {@code copy_rows_completed},
 * {@code applier_pending_work}, {@code workflow_phase_seconds}) and the figures of the status line. Every value is
 * read from the run's {@link ProgressReporter} when Prometheus scrapes, so the endpoint keeps no copy that could go
 * stale, and a scrape never blocks the run. Values that are counts are exposed as gauges so their names stay
 * upstream's (a counter would gain {@code _total}).
 */
public final class MetricsEndpoint implements AutoCloseable {
  private static final MetricsEndpoint NONE = new MetricsEndpoint(null);
  private final HTTPServer server;

  private MetricsEndpoint(HTTPServer server) {
    this.server = server;
  }

  /**
   * Starts serving when {@code listen} is given; a port that cannot be bound refuses the run before it changes
   * anything (exit 2).
   */
  public static MetricsEndpoint start(Optional<HostPort> listen, ProgressReporter reporter, PrintStream err) {
    if (listen.isEmpty()) {
      return NONE;
    }
    HostPort at = listen.get();
    PrometheusRegistry registry = new PrometheusRegistry();
    register(registry, reporter);
    try {
      HTTPServer server = HTTPServer.builder().hostname(at.host()).port(at.port()).registry(registry)
          .buildAndStart();
      err.println("spirit: metrics at http://" + at + "/metrics");
      return new MetricsEndpoint(server);
    } catch (IOException | RuntimeException e) {
      throw new SpiritException(ErrorCode.INVALID_OPTION, OptionNames.METRICS_LISTEN + " " + at + ": cannot listen"
          + " there (" + e.getMessage() + "); nothing was changed. Choose a free port or another address.");
    }
  }

  private static void register(PrometheusRegistry registry, ProgressReporter reporter) {
    gauge(registry, "workflow_phase", "upstream Spirit's number of the run's state: initial 0, copyRows 1,"
        + " applyChangeset 2, restoreSecondaryIndexes 3, checksum 5, waitingOnSentinelTable 7, cutOver 8, close 10",
        r -> r.phase().upstreamNumber(), reporter);
    GaugeWithCallback.builder().name("workflow_step").help("1 for the step the run is in (this tool's finer phase)")
        .labelNames("phase", "step").callback(cb -> {
          Phase p = reporter.phase();
          cb.call(1, p.upstreamName(), p.key());
        }).register(registry);
    GaugeWithCallback.builder().name("workflow_phase_seconds").help("seconds spent in each step so far")
        .labelNames("step").callback(cb -> reporter.phaseTimes().forEach((p, d) -> cb.call(d.toMillis() / 1000.0,
            p.key()))).register(registry);
    gauge(registry, "workflow_elapsed_seconds", "seconds since the run began",
        r -> r.elapsed().toMillis() / 1000.0, reporter);
    gauge(registry, "copy_rows_completed", "rows copied so far, over every table",
        r -> figures(r, p -> p.tables().stream().mapToLong(Progress.Table::copied).sum()), reporter);
    gauge(registry, "copy_rows_total_estimate", "the tables' estimated rows",
        r -> figures(r, Progress::total), reporter);
    gauge(registry, "copy_rows_per_second", "the copy's rate over the last seconds; 0 outside the copy",
        r -> r.phase() == Phase.COPY ? r.rate() : 0, reporter);
    gauge(registry, "checksum_rows_checked", "rows the checksum has compared (in its phase and after it)",
        r -> figures(r, Progress::checked), reporter);
    gauge(registry, "checksum_rows_per_second", "the checksum's rate; 0 outside it",
        r -> r.phase() == Phase.CHECKSUM ? r.rate() : 0, reporter);
    gauge(registry, "eta_seconds", "when the copy or checksum should end at this rate; NaN while unknown", r -> {
      Progress p = r.current();
      java.time.Duration eta = p == null ? null : ProgressReporter.eta(p, r.rate());
      return eta == null ? Double.NaN : eta.toSeconds();
    }, reporter);
    gauge(registry, "applier_pending_work", "changed rows read from the binlog and not yet applied",
        r -> figures(r, Progress::pending), reporter);
    gauge(registry, "applier_rows_applied", "changed rows applied so far", r -> figures(r, Progress::applied),
        reporter);
    gauge(registry, "throttler_throttled", "1 while the copy is paused for replica lag",
        r -> figures(r, p -> p.throttled() == null ? 0 : 1), reporter);
    gauge(registry, "sentinel_waiting_seconds", "how long the cutover has waited for the sentinel's release; NaN"
        + " when it is not waiting", r -> {
          Progress p = r.current();
          return p == null || p.sentinel() == null || p.sentinel().waitingSeconds() == null ? Double.NaN
              : p.sentinel().waitingSeconds();
        }, reporter);
    GaugeWithCallback.builder().name("sentinel_readiness").help("1 for this run's sentinel readiness: none, copying,"
        + " ready, unavailable or released").labelNames("readiness").callback(cb -> {
          Progress p = reporter.current();
          if (p != null && p.sentinel() != null) {
            cb.call(1, p.sentinel().readiness());
          }
        }).register(registry);
    GaugeWithCallback.builder().name("table_rows_copied").help("rows copied so far, per table").labelNames("table")
        .callback(cb -> {
          Progress p = reporter.current();
          if (p != null) {
            p.tables().forEach(t -> cb.call(t.copied(), t.name()));
          }
        }).register(registry);
    GaugeWithCallback.builder().name("table_rows_total_estimate").help("the estimated rows, per table")
        .labelNames("table").callback(cb -> {
          Progress p = reporter.current();
          if (p != null) {
            p.tables().forEach(t -> cb.call(t.estimated(), t.name()));
          }
        }).register(registry);
  }

  private static double figures(ProgressReporter r, ToDoubleFunction<Progress> value) {
    Progress p = r.current();
    return p == null ? 0 : value.applyAsDouble(p);
  }

  private static void gauge(PrometheusRegistry registry, String name, String help,
      ToDoubleFunction<ProgressReporter> value, ProgressReporter reporter) {
    GaugeWithCallback.builder().name(name).help(help).callback(cb -> cb.call(value.applyAsDouble(reporter)))
        .register(registry);
  }

  @Override
  public void close() {
    if (server != null) {
      server.close();
    }
  }
}
