package dev.spirit.db;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A MySQL 8 replica's lag from {@code performance_schema}, as upstream Spirit measures it: the age of the transaction a
 * worker is applying now, or of the last one applied while the queue is not drained; an idle replica (nothing queued
 * for a minute) counts as 0. That figure reads 0 when the applier is stopped with transactions queued behind it, so
 * the replica's threads are read first: a stopped applier or receiver is reported as stopped, which throttles.
 */
final class MySqlReplicaLag implements ReplicaLag {
  static final String THREADS = "SELECT (SELECT GROUP_CONCAT(SERVICE_STATE) FROM"
      + " performance_schema.replication_connection_status), (SELECT GROUP_CONCAT(SERVICE_STATE) FROM"
      + " performance_schema.replication_applier_status)";
  static final String LAG = "WITH applier_latency AS ("
      + " SELECT MAX(TIMESTAMPDIFF(MICROSECOND, APPLYING_TRANSACTION_IMMEDIATE_COMMIT_TIMESTAMP, NOW(3)) / 1000)"
      + " AS applier_latency_ms FROM performance_schema.replication_applier_status_by_worker),"
      + " queue_latency AS (SELECT MIN(CASE WHEN LAST_QUEUED_TRANSACTION = 'ANONYMOUS'"
      + " OR LAST_APPLIED_TRANSACTION = 'ANONYMOUS' OR GTID_SUBTRACT(LAST_QUEUED_TRANSACTION,"
      + " LAST_APPLIED_TRANSACTION) = '' THEN 0 ELSE TIMESTAMPDIFF(MICROSECOND,"
      + " LAST_APPLIED_TRANSACTION_IMMEDIATE_COMMIT_TIMESTAMP, NOW(3)) / 1000 END) AS queue_latency_ms,"
      + " IF(MIN(TIMESTAMPDIFF(MINUTE, LAST_QUEUED_TRANSACTION_ORIGINAL_COMMIT_TIMESTAMP, NOW())) > 1, 'IDLE',"
      + " 'ACTIVE') AS queue_status FROM performance_schema.replication_applier_status_by_worker w"
      + " JOIN performance_schema.replication_connection_status s ON s.CHANNEL_NAME = w.CHANNEL_NAME)"
      + " SELECT IFNULL(IF(queue_status = 'IDLE', 0, CEIL(GREATEST(applier_latency_ms, queue_latency_ms))), 0)"
      + " FROM applier_latency, queue_latency";

  static final int NETWORK_TIMEOUT_MILLIS = 10_000;
  private final ReopeningSession replica;

  MySqlReplicaLag(Database replica) {
    this.replica = new ReopeningSession(replica);
  }

  @Override
  public Measurement measure() throws SQLException {
    return replica.use(c -> {
      c.setNetworkTimeout(Runnable::run, NETWORK_TIMEOUT_MILLIS); // a hung replica must not hang its poller
      try (Statement s = c.createStatement()) {
        try (ResultSet rs = s.executeQuery(THREADS)) {
          rs.next();
          String receiver = rs.getString(1);
          String applier = rs.getString(2);
          if (receiver == null || applier == null) {
            return Measurement.stopped("not replicating (no replication channel)");
          }
          if (!allOn(applier)) {
            return Measurement.stopped("SQL thread (applier) " + applier);
          }
          if (!allOn(receiver)) {
            return Measurement.stopped("IO thread (receiver) " + receiver);
          }
        }
        try (ResultSet rs = s.executeQuery(LAG)) {
          rs.next();
          return Measurement.lag(rs.getLong(1));
        }
      }
    });
  }

  /** Every channel's service is ON (a receiver CONNECTING to the primary is not: nothing arrives meanwhile). */
  static boolean allOn(String states) {
    return java.util.Arrays.stream(states.split(",")).allMatch(state -> state.trim().equals("ON"));
  }

  @Override
  public void close() {
    replica.close();
  }
}
