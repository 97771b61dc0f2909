package dev.spirit.throttle;

import dev.spirit.db.ReplicaLag;
import dev.spirit.db.ReplicaLag.Measurement;
import dev.spirit.db.Workers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds the copy back while any replica is {@code maxLag} or more behind, has a replication thread stopped, or has
 * not been measured for {@link #UNOBSERVABLE} (fail closed: a replica that cannot be seen may be falling behind).
 * Each replica is measured every {@link #POLL} on its own thread, so one that hangs never delays the others' figures;
 * the verdict is taken from the latest figures whenever the copy asks.
 *
 * <p>Unlike upstream, which lets one chunk through a minute while throttled, the copy waits for as long as the
 * replicas lag: a trickle still widens the lag of a replica that is not keeping up.
 */
public final class ReplicaLagThrottler implements Throttler, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ReplicaLagThrottler.class);
  static final Duration POLL = Duration.ofSeconds(1);
  static final Duration UNOBSERVABLE = Duration.ofSeconds(15);
  private static final long WAIT_STEP_MILLIS = 100;

  /** A replica by the name the messages use ({@code host:port}) and its measure. */
  public record Replica(String name, ReplicaLag lag) {}

  private static final class Observed {
    volatile long measuredAt;
    volatile Measurement last;
    volatile String error;
  }

  private final List<Replica> replicas;
  private final List<Observed> observed = new ArrayList<>();
  private final long maxLagMillis;
  private final LongSupplier clock;
  private ScheduledExecutorService pollers;
  private int waiting;
  private long pauseStarted;
  private long pausedNanos;
  private String loggedKind;

  /** @param clock nanoseconds, as {@link System#nanoTime} */
  ReplicaLagThrottler(List<Replica> replicas, Duration maxLag, LongSupplier clock) {
    this.replicas = List.copyOf(replicas);
    this.maxLagMillis = maxLag.toMillis();
    this.clock = clock;
    long now = clock.getAsLong();
    for (int i = 0; i < replicas.size(); i++) {
      Observed o = new Observed();
      o.measuredAt = now;
      o.last = Measurement.lag(0);
      observed.add(o);
    }
  }

  /** Measures every replica once, here, and from then on in the background. */
  static ReplicaLagThrottler start(List<Replica> replicas, Duration maxLag) {
    ReplicaLagThrottler throttler = new ReplicaLagThrottler(replicas, maxLag, System::nanoTime);
    for (int i = 0; i < replicas.size(); i++) {
      throttler.poll(i);
    }
    throttler.pollers = Executors.newScheduledThreadPool(replicas.size(), Workers.daemons("replica-lag"));
    for (int i = 0; i < replicas.size(); i++) {
      int replica = i;
      throttler.pollers.scheduleWithFixedDelay(() -> throttler.poll(replica), POLL.toMillis(), POLL.toMillis(),
          TimeUnit.MILLISECONDS);
    }
    return throttler;
  }

  /** One measurement of replica {@code i}; a failure only leaves its last figure to age. */
  void poll(int i) {
    Observed o = observed.get(i);
    try {
      o.last = replicas.get(i).lag().measure();
      o.measuredAt = clock.getAsLong();
      o.error = null;
    } catch (java.sql.SQLException | RuntimeException e) {
      o.error = e.getMessage();
    }
  }

  /** The latest figure of replica {@code i}, for tests and status. */
  Measurement last(int i) {
    return observed.get(i).last;
  }

  @Override
  public String reason() {
    long now = clock.getAsLong();
    List<String> reasons = new ArrayList<>();
    for (int i = 0; i < replicas.size(); i++) {
      Observed o = observed.get(i);
      String name = replicas.get(i).name();
      long age = now - o.measuredAt;
      if (age >= UNOBSERVABLE.toNanos()) {
        reasons.add("replica " + name + ": lag unobservable for " + TimeUnit.NANOSECONDS.toSeconds(age)
            + " s (failing closed)" + (o.error == null ? "" : ": " + o.error));
      } else if (o.last.stopped() != null) {
        reasons.add("replica " + name + ": " + o.last.stopped());
      } else if (o.last.lagMillis() >= maxLagMillis) {
        reasons.add("replica " + name + ": lag " + o.last.lagMillis() + " ms >= " + maxLagMillis + " ms");
      }
    }
    return reasons.isEmpty() ? null : String.join("; ", reasons);
  }

  @Override
  public void awaitClear(BooleanSupplier stop) throws InterruptedException {
    String reason = reason();
    if (reason == null) {
      return;
    }
    pauseBegins(reason);
    try {
      for (String now = reason; now != null && !stop.getAsBoolean(); now = reason()) {
        stillPaused(now);
        Thread.sleep(WAIT_STEP_MILLIS);
      }
    } finally {
      pauseEnds();
    }
  }

  private synchronized void pauseBegins(String reason) {
    if (waiting++ == 0) {
      pauseStarted = clock.getAsLong();
      LOG.warn("copy paused: {}", reason);
    }
  }

  /** Logs the reason again when it changes in kind (a lag that became unobservable), not with every figure. */
  private synchronized void stillPaused(String reason) {
    String kind = reason.replaceAll("\\d+", "#");
    if (!kind.equals(loggedKind)) {
      if (loggedKind != null) {
        LOG.warn("copy still paused: {}", reason);
      }
      loggedKind = kind;
    }
  }

  private synchronized void pauseEnds() {
    if (--waiting == 0) {
      loggedKind = null;
      long paused = clock.getAsLong() - pauseStarted;
      pausedNanos += paused;
      LOG.info("copy resumed after {} s paused for replica lag", TimeUnit.NANOSECONDS.toSeconds(paused));
    }
  }

  @Override
  public synchronized Duration pausedTime() {
    long ongoing = waiting > 0 ? clock.getAsLong() - pauseStarted : 0;
    return Duration.ofNanos(pausedNanos + ongoing);
  }

  @Override
  public void close() {
    if (pollers != null) {
      pollers.shutdownNow();
    }
    replicas.forEach(r -> r.lag().close());
  }
}
