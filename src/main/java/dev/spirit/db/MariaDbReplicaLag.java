package dev.spirit.db;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * A MariaDB replica's lag, from GTID positions rather than {@code Seconds_Behind_Master}. That figure compares the
 * event the SQL thread applies with the newest one the IO thread has received, so it reads 0 while the IO thread is
 * itself behind (a slow network, a throttled receiver) and NULL while either thread is stopped.
 *
 * <p>Instead, each measurement reads the primary's {@code @@gtid_binlog_pos} and keeps it with the time it was read;
 * the replica's {@code @@gtid_slave_pos} (what its SQL thread has applied) is then compared with that history: the
 * replica is as far behind as the newest primary position it has not yet reached is old. When it has reached the
 * newest, the lag is 0; when it has reached none, the lag is at least as old as the oldest kept, and at least
 * {@code Seconds_Behind_Master}. The figure is exact to the measurement interval, counts a lagging receiver, and
 * keeps growing while the applier is stuck; stopped threads are reported as stopped.
 */
final class MariaDbReplicaLag implements ReplicaLag {
  private record Sample(long nanos, Map<Long, Long> position) {}

  /** A day of one position a second. */
  private static final int MAX_HISTORY = 86_400;

  private final ReopeningSession primary;
  static final int NETWORK_TIMEOUT_MILLIS = 10_000;
  private final ReopeningSession replica;
  private final LongSupplier clock;
  private final Deque<Sample> history = new ArrayDeque<>();

  MariaDbReplicaLag(Database primary, Database replica) {
    this(primary, replica, System::nanoTime);
  }

  MariaDbReplicaLag(Database primary, Database replica, LongSupplier clock) {
    this.primary = new ReopeningSession(primary);
    this.replica = new ReopeningSession(replica);
    this.clock = clock;
  }

  @Override
  public Measurement measure() throws SQLException {
    String primaryPosition = primary.use(c -> {
      c.setNetworkTimeout(Runnable::run, NETWORK_TIMEOUT_MILLIS);
      try (Statement s = c.createStatement()) {
        return single(s, "SELECT @@GLOBAL.gtid_binlog_pos");
      }
    });
    long now = clock.getAsLong();
    record(now, primaryPosition);
    return replica.use(c -> {
      c.setNetworkTimeout(Runnable::run, NETWORK_TIMEOUT_MILLIS); // a hung replica must not hang its poller
      try (Statement s = c.createStatement()) {
        ReplicaThreads threads = MariaDbFlavor.threads(s);
        if (threads == null) {
          return Measurement.stopped("not replicating (SHOW SLAVE STATUS is empty)");
        }
        if (!threads.running()) {
          return Measurement.stopped(threads.describe());
        }
        Map<Long, Long> applied = parse(single(s, "SELECT @@GLOBAL.gtid_slave_pos"));
        long behind = MariaDbFlavor.secondsBehind(s);
        return Measurement.lag(Math.max(lagMillis(applied, now), behind * 1000));
      }
    });
  }

  /** Keeps the primary's position as it was at {@code nanos}. */
  void record(long nanos, String primaryPosition) {
    history.addLast(new Sample(nanos, parse(primaryPosition)));
  }

  /**
   * How old the oldest transaction the replica has not applied may be: the time of the newest kept primary position
   * it has reached (every later transaction was committed after it), or, when it has reached none, the oldest kept
   * position's time. Positions older than the newest reached are let go.
   */
  long lagMillis(Map<Long, Long> applied, long now) {
    Sample newestReached = null;
    for (Sample sample : history) {
      if (reached(applied, sample.position())) {
        newestReached = sample;
      }
    }
    if (newestReached != null) {
      while (history.peekFirst() != newestReached) {
        history.removeFirst();
      }
      if (newestReached == history.peekLast()) {
        return 0;
      }
      return (now - newestReached.nanos()) / 1_000_000;
    }
    while (history.size() > MAX_HISTORY) {
      history.removeFirst(); // the replica is hours behind: the lag stays at least as old as what is kept
    }
    return (now - history.peekFirst().nanos()) / 1_000_000;
  }

  /** Whether the replica has applied, in every replication domain, at least what the primary had written then. */
  static boolean reached(Map<Long, Long> applied, Map<Long, Long> primaryPosition) {
    return primaryPosition.entrySet().stream()
        .allMatch(e -> applied.getOrDefault(e.getKey(), -1L) >= e.getValue());
  }

  /** {@code 0-1-100,1-2-5} as domain → sequence number. */
  static Map<Long, Long> parse(String gtids) {
    Map<Long, Long> position = new HashMap<>();
    if (gtids == null || gtids.isBlank()) {
      return position;
    }
    for (String gtid : gtids.split(",")) {
      String[] parts = gtid.trim().split("-");
      if (parts.length != 3) {
        throw new IllegalArgumentException("not a MariaDB GTID: '" + gtid + "' in '" + gtids + "'");
      }
      position.merge(Long.parseLong(parts[0]), Long.parseLong(parts[2]), Math::max);
    }
    return position;
  }

  private static String single(Statement s, String sql) throws SQLException {
    try (ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  @Override
  public void close() {
    primary.close();
    replica.close();
  }
}
