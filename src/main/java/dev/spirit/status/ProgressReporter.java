package dev.spirit.status;

import dev.spirit.db.Workers;
import java.io.PrintStream;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Tells the operator where the run is, on stderr: a line at each phase change and every 30 seconds; on a terminal, one
 * live line rewritten every second instead. Also keeps the time spent in each phase for the final summary.
 */
public final class ProgressReporter implements AutoCloseable {
  private final PrintStream out;
  private final boolean live;
  private final Supplier<Progress> source;
  private final ScheduledExecutorService timer;
  private final Map<Phase, Long> phaseNanos = new EnumMap<>(Phase.class);
  private final long started = System.nanoTime();
  private Phase phase = Phase.PREFLIGHT;
  private long phaseStarted = System.nanoTime();
  private long lastDone;
  private long lastSample = System.nanoTime();
  private double rate;
  private boolean liveLineShown;
  private final StatusStream status;
  private static final long TEXT_PERIOD_SECONDS = 30;
  private long lastTextLine = System.nanoTime();
  private long lastStatusLine = System.nanoTime();

  public ProgressReporter(PrintStream out, boolean live, Supplier<Progress> source) {
    this(out, live, source, StatusStream.off());
  }

  /** @param status where JSON status lines go as well (phase changes and ticks), when it is on */
  public ProgressReporter(PrintStream out, boolean live, Supplier<Progress> source, StatusStream status) {
    this.out = out;
    this.live = live;
    this.source = source;
    this.status = status;
    this.timer = Executors.newSingleThreadScheduledExecutor(Workers.daemons("progress"));
    status.phase(Phase.PREFLIGHT, null);
    // Every second, so the rate behind a metrics scrape is fresh; the text and JSON lines keep their own cadence.
    timer.scheduleAtFixedRate(this::tick, 1, 1, TimeUnit.SECONDS);
  }

  public synchronized void enter(Phase next) {
    long now = System.nanoTime();
    phaseNanos.merge(phase, now - phaseStarted, Long::sum);
    phase = next;
    phaseStarted = now;
    lastDone = 0;
    rate = 0;
    lastSample = now;
    clearLive();
    out.println("spirit: " + next.label() + " (" + format(Duration.ofNanos(now - started)) + " elapsed)");
    if (status.on()) {
      Progress p = source.get();
      status.phase(next, p != null && p.phase() == next ? p : null);
    }
  }

  public synchronized Phase phase() {
    return phase;
  }

  /** The run's figures now, or null before it has any. */
  public Progress current() {
    return source.get();
  }

  /** Rows per second of the copy or checksum over the last seconds; 0 in other phases. */
  public synchronized double rate() {
    return rate;
  }

  private synchronized void tick() {
    Progress p = source.get();
    if (p == null || p.phase() != phase) {
      return;
    }
    long now = System.nanoTime();
    double seconds = (now - lastSample) / 1e9;
    if (seconds > 0) {
      double sample = (p.done() - lastDone) / seconds;
      rate = rate == 0 ? sample : 0.7 * rate + 0.3 * sample;
    }
    lastDone = p.done();
    lastSample = now;
    if (now - lastStatusLine >= StatusStream.TICK.toNanos() - TimeUnit.MILLISECONDS.toNanos(500)) {
      lastStatusLine = now;
      status.status(p, rate, eta(p, rate));
    }
    String line = render(p, rate);
    if (live) {
      out.print("\r\033[2K" + line);
      out.flush();
      liveLineShown = true;
    } else if (now - lastTextLine >= TimeUnit.SECONDS.toNanos(TEXT_PERIOD_SECONDS) - TimeUnit.MILLISECONDS.toNanos(500)) {
      lastTextLine = now;
      out.println("spirit: " + line);
    }
  }

  /** When the copy or checksum should end at this rate; null while there is no rate to tell. */
  static Duration eta(Progress p, double rowsPerSecond) {
    long total = Math.max(p.total(), p.done());
    if ((p.phase() != Phase.COPY && p.phase() != Phase.CHECKSUM) || rowsPerSecond <= 0) {
      return null;
    }
    return Duration.ofSeconds((long) ((total - p.done()) / rowsPerSecond));
  }

  static String render(Progress p, double rowsPerSecond) {
    StringBuilder sb = new StringBuilder(p.phase().label());
    if (p.phase() == Phase.COPY || p.phase() == Phase.CHECKSUM) {
      long total = Math.max(p.total(), p.done());
      double percent = total == 0 ? 100 : 100.0 * p.done() / total;
      sb.append(String.format(Locale.ROOT, "  %5.1f%%  %,d/%,d rows  %,.0f rows/s", percent, p.done(), total,
          rowsPerSecond));
      Duration eta = eta(p, rowsPerSecond);
      if (eta != null && total > p.done()) {
        sb.append("  ETA ").append(format(eta));
      }
    }
    if (p.note() != null) {
      sb.append("  ").append(p.note());
    }
    sb.append(String.format(Locale.ROOT, "  binlog: %,d rows behind, %,d applied", p.pending(), p.applied()));
    return sb.toString();
  }

  private void clearLive() {
    if (liveLineShown) {
      out.print("\r\033[2K");
      liveLineShown = false;
    }
  }

  /** Time spent in each phase so far, the current one included. */
  public synchronized Map<Phase, Duration> phaseTimes() {
    Map<Phase, Duration> times = new EnumMap<>(Phase.class);
    phaseNanos.forEach((p, n) -> times.put(p, Duration.ofNanos(n)));
    times.merge(phase, Duration.ofNanos(System.nanoTime() - phaseStarted), Duration::plus);
    return times;
  }

  public Duration elapsed() {
    return Duration.ofNanos(System.nanoTime() - started);
  }

  public static String format(Duration d) {
    long s = d.toSeconds();
    if (s < 60) {
      return String.format(Locale.ROOT, "%.1fs", d.toMillis() / 1000.0);
    }
    return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm%02ds", s / 3600, s % 3600 / 60, s % 60)
        : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
  }

  @Override
  public synchronized void close() {
    timer.shutdownNow();
    clearLive();
  }
}
