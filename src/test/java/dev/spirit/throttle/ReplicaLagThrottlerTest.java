package dev.spirit.throttle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spirit.db.ReplicaLag;
import dev.spirit.db.ReplicaLag.Measurement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ReplicaLagThrottlerTest {
  private final AtomicLong clock = new AtomicLong();

  /** A replica whose next measurement the test sets; null makes the measurement fail. */
  private static final class Scripted implements ReplicaLag {
    final AtomicReference<Measurement> next = new AtomicReference<>(Measurement.lag(0));

    @Override
    public Measurement measure() throws SQLException {
      Measurement m = next.get();
      if (m == null) {
        throw new SQLException("Communications link failure");
      }
      return m;
    }

    @Override
    public void close() {}
  }

  private ReplicaLagThrottler throttler(Scripted... replicas) {
    List<ReplicaLagThrottler.Replica> list = new ArrayList<>();
    for (int i = 0; i < replicas.length; i++) {
      list.add(new ReplicaLagThrottler.Replica("r" + (i + 1) + ":3306", replicas[i]));
    }
    return new ReplicaLagThrottler(list, Duration.ofSeconds(120), clock::get);
  }

  private void advance(Duration d) {
    clock.addAndGet(d.toNanos());
  }

  @Test
  void throttlesAtTheLimitAndNotBelowIt() {
    Scripted r = new Scripted();
    ReplicaLagThrottler t = throttler(r);
    r.next.set(Measurement.lag(5));
    t.poll(0);
    assertThat(t.reason()).isNull();
    r.next.set(Measurement.lag(120_000));
    t.poll(0);
    assertThat(t.reason()).isEqualTo("replica r1:3306: lag 120000 ms >= 120000 ms");
    r.next.set(Measurement.lag(30_000));
    t.poll(0);
    assertThat(t.reason()).isNull();
  }

  @Test
  void aStoppedReplicaThrottlesWhateverItsLag() {
    Scripted r = new Scripted();
    ReplicaLagThrottler t = throttler(r);
    r.next.set(Measurement.stopped("SQL thread (applier) OFF"));
    t.poll(0);
    assertThat(t.reason()).isEqualTo("replica r1:3306: SQL thread (applier) OFF");
  }

  @Test
  void failsClosedWhenLagCannotBeObservedFor15sAndRecoversOnTheNextMeasurement() {
    Scripted r = new Scripted();
    ReplicaLagThrottler t = throttler(r);
    t.poll(0);
    r.next.set(null);
    advance(Duration.ofSeconds(14));
    t.poll(0);
    assertThat(t.reason()).as("14 s unobserved").isNull();
    advance(Duration.ofSeconds(1));
    t.poll(0);
    assertThat(t.reason()).isEqualTo("replica r1:3306: lag unobservable for 15 s (failing closed):"
        + " Communications link failure");
    r.next.set(Measurement.lag(10));
    t.poll(0);
    assertThat(t.reason()).isNull();
  }

  @Test
  void anyLaggingReplicaThrottlesAndEveryOneIsNamed() {
    Scripted a = new Scripted();
    Scripted b = new Scripted();
    Scripted c = new Scripted();
    ReplicaLagThrottler t = throttler(a, b, c);
    a.next.set(Measurement.lag(200_000));
    c.next.set(Measurement.stopped("IO thread (receiver) CONNECTING"));
    for (int i = 0; i < 3; i++) {
      t.poll(i);
    }
    assertThat(t.reason()).isEqualTo("replica r1:3306: lag 200000 ms >= 120000 ms; replica r3:3306: IO thread"
        + " (receiver) CONNECTING");
  }

  @Test
  void countsTheTimeTheCopyWaitedOnceHoweverManyWorkersWaited() throws Exception {
    Scripted r = new Scripted();
    ReplicaLagThrottler t = throttler(r);
    r.next.set(Measurement.lag(200_000));
    t.poll(0);
    Thread[] workers = new Thread[3];
    for (int i = 0; i < workers.length; i++) {
      workers[i] = new Thread(() -> {
        try {
          t.awaitClear(() -> false);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      workers[i].start();
    }
    Thread.sleep(300);
    advance(Duration.ofSeconds(40));
    assertThat(t.pausedTime()).as("while waiting").isEqualTo(Duration.ofSeconds(40));
    r.next.set(Measurement.lag(0));
    t.poll(0);
    for (Thread w : workers) {
      w.join(5_000);
      assertThat(w.isAlive()).isFalse();
    }
    assertThat(t.pausedTime()).isEqualTo(Duration.ofSeconds(40));
    t.awaitClear(() -> false); // clear: returns at once, adds nothing
    assertThat(t.pausedTime()).isEqualTo(Duration.ofSeconds(40));
  }

  @Test
  void aStoppedCopyStopsWaiting() throws Exception {
    Scripted r = new Scripted();
    ReplicaLagThrottler t = throttler(r);
    r.next.set(Measurement.lag(200_000));
    t.poll(0);
    AtomicLong calls = new AtomicLong();
    t.awaitClear(() -> calls.incrementAndGet() > 3);
    assertThat(calls.get()).isGreaterThan(3);
  }

  @Test
  void noneNeverThrottles() throws Exception {
    assertThat(Throttler.NONE.reason()).isNull();
    Throttler.NONE.awaitClear(() -> false);
    assertThat(Throttler.NONE.pausedTime()).isZero();
  }
}
