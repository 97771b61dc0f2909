package dev.spirit.cli;

import dev.spirit.config.HostPort;
import dev.spirit.config.OptionNames;
import dev.spirit.config.Reporting;
import dev.spirit.config.StatusFormat;
import java.util.Optional;
import picocli.CommandLine.Option;

/** How {@code migrate} and {@code move} report, and whether they only plan: shared so both spell them alike. */
final class RunOutputOptions {
  @Option(
      names = "--status-format",
      defaultValue = "text",
      converter = ValueConverters.StatusFormatConverter.class,
      paramLabel = "text|json",
      description = "text: status as human lines on stderr. json: also JSON lines on stdout, one per phase change and"
          + " status tick, and the result last (docs/status.md).")
  StatusFormat statusFormat;

  @Option(names = "--dry-run", description = "Make every check the real run makes before it changes anything, then"
      + " print the plan (path, tables, rows, helper tables, an estimated copy time); change nothing. Exit 0 when the"
      + " real run would proceed, 3 when it would be refused (docs/ci.md).")
  boolean dryRun;

  @Option(names = OptionNames.METRICS_LISTEN, paramLabel = "<host:port>",
      converter = ValueConverters.ListenAddressConverter.class,
      description = "Serve Prometheus metrics at http://<host:port>/metrics for the life of the run (phase, rows"
          + " copied and checked, rate, ETA, binlog backlog, changes applied, throttling, sentinel; docs/status.md)."
          + " 127.0.0.1:9090 for this machine only, 0.0.0.0:9090 for every interface.")
  HostPort metricsListen;

  Reporting toReporting() {
    return new Reporting(statusFormat, dryRun, Optional.ofNullable(metricsListen));
  }
}
