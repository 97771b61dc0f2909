package dev.spirit.throttle;

import dev.spirit.config.ConnectionSettings;
import dev.spirit.config.MysqlDsn;
import dev.spirit.config.ReplicaThrottle;
import dev.spirit.db.Database;
import dev.spirit.db.Endpoint;
import dev.spirit.db.ReplicaLag;
import dev.spirit.db.ReplicaThreads;
import dev.spirit.db.ServerFlavor;
import dev.spirit.error.ErrorCode;
import dev.spirit.error.SpiritException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The replicas a run watches ({@code --replica-dsn}): checked before anything changes (reachable, readable with the
 * grants the message names, replicating, of the primary's flavour), their lag throttling the copy, and their threads
 * checked again before the cutover.
 */
public final class Replicas implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Replicas.class);

  private record Watched(String name, Database database, ServerFlavor flavor) {}

  private final List<Watched> watched;
  private final Throttler throttler;

  private Replicas(List<Watched> watched, Throttler throttler) {
    this.watched = List.copyOf(watched);
    this.throttler = throttler;
  }

  /** No replicas: nothing throttles, nothing to check. */
  public static Replicas none() {
    return new Replicas(List.of(), Throttler.NONE);
  }

  /**
   * Connects to every replica and checks it, refusing (exit 3) before any change when one cannot be watched, then
   * starts measuring their lag.
   *
   * @param main the primary's settings: a replica DSN without a schema uses the primary's, and TLS is the primary's
   * @param verb the command, for refusals
   */
  public static Replicas open(ReplicaThrottle config, ConnectionSettings main, Database primary,
      ServerFlavor primaryFlavor, String verb) throws SQLException {
    if (config.replicas().isEmpty()) {
      return none();
    }
    List<Watched> watched = new ArrayList<>();
    List<ReplicaLagThrottler.Replica> measured = new ArrayList<>();
    try {
      for (MysqlDsn dsn : config.replicas()) {
        String name = dsn.address().toString();
        Database database = new Endpoint(new ConnectionSettings(dsn.address(), dsn.user(), dsn.password(),
            dsn.schema() == null || dsn.schema().isEmpty() ? main.database() : dsn.schema(), main.tls()))
            .database(Duration.ofSeconds(10));
        ServerFlavor flavor;
        try (Connection c = database.connect()) {
          flavor = ServerFlavor.detect(c);
          if (flavor.version().mariaDb() != primaryFlavor.version().mariaDb()) {
            throw refuse(verb, "replica " + name + " runs " + flavor.version() + " and the primary "
                + primaryFlavor.version() + "; spirit measures the lag of replicas of the primary's own kind");
          }
          ReplicaThreads threads = threads(flavor, c, name, verb);
          if (threads == null) {
            throw refuse(verb, "replica " + name + " is not replicating from anywhere (its replica status is"
                + " empty); check --replica-dsn");
          }
          if (!threads.running()) {
            throw refuse(verb, "replica " + name + " is not healthy: " + threads.describe() + ". Start its"
                + " replication (START REPLICA) and run again");
          }
        }
        ReplicaLag lag = flavor.replicaLag(primary, database);
        measured.add(new ReplicaLagThrottler.Replica(name, lag));
        try {
          ReplicaLag.Measurement m = lag.measure();
          LOG.info("watching replica {} ({}): {}", name, flavor.version(), m.stopped() != null ? m.stopped()
              : "lag " + m.lagMillis() + " ms, the copy pauses at " + config.maxLag().toMillis() + " ms");
        } catch (SQLException e) {
          throw refuse(verb, "cannot measure the lag of replica " + name + ": " + e.getMessage() + ". On the"
              + " replica, " + flavor.replicaMonitorGrant() + " to the user of --replica-dsn");
        }
        watched.add(new Watched(name, database, flavor));
      }
    } catch (SQLException | RuntimeException e) {
      measured.forEach(r -> r.lag().close());
      throw e;
    }
    return new Replicas(watched, ReplicaLagThrottler.start(measured, config.maxLag()));
  }

  private static ReplicaThreads threads(ServerFlavor flavor, Connection c, String name, String verb) {
    try {
      return flavor.replicaThreads(c);
    } catch (SQLException e) {
      throw refuse(verb, "cannot read the replication status of replica " + name + ": " + e.getMessage()
          + ". On the replica, " + flavor.replicaMonitorGrant() + " to the user of --replica-dsn");
    }
  }

  private static SpiritException refuse(String verb, String message) {
    return new SpiritException(ErrorCode.PREFLIGHT_FAILED, "refusing to " + verb + ": " + message);
  }

  /** What holds the copy back while a replica lags. */
  public Throttler throttler() {
    return throttler;
  }

  /**
   * Stops the run, the original tables untouched, when a replica's replication threads are not both running.
   *
   * @param before what is about to happen ("the cutover")
   */
  public void checkHealthy(String before) {
    for (Watched w : watched) {
      ReplicaThreads threads;
      try (Connection c = w.database().connect()) {
        threads = w.flavor().replicaThreads(c);
      } catch (SQLException e) {
        throw new SpiritException(ErrorCode.REPLICA_NOT_HEALTHY, "cannot read the replication status of replica "
            + w.name() + " before " + before + ": " + e.getMessage() + "; stopping with the original table"
            + " intact", e);
      }
      if (threads == null || !threads.running()) {
        throw new SpiritException(ErrorCode.REPLICA_NOT_HEALTHY, "replica " + w.name() + " is not healthy before "
            + before + ": " + (threads == null ? "it is no longer replicating" : threads.describe())
            + "; stopping with the original table intact. Fix its replication and run again");
      }
    }
  }

  @Override
  public void close() {
    if (throttler instanceof ReplicaLagThrottler t) {
      t.close();
    }
  }
}
