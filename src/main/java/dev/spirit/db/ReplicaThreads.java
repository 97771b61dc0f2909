package dev.spirit.db;

/**
 * A replica's two replication threads as the replica reports them: the one that receives the primary's binlog (IO,
 * MySQL's connection service) and the one that applies it (SQL, MySQL's applier).
 *
 * @param io {@code Yes}, {@code No} or {@code Connecting}
 * @param sql {@code Yes} or {@code No}
 * @param lastError the replica's last replication error, empty when none
 */
public record ReplicaThreads(String io, String sql, String lastError) {
  public boolean running() {
    return "Yes".equalsIgnoreCase(io) && "Yes".equalsIgnoreCase(sql);
  }

  /** {@code IO thread Yes, SQL thread No (last error: …)}. */
  public String describe() {
    return "IO thread " + io + ", SQL thread " + sql + (lastError == null || lastError.isBlank() ? ""
        : " (last error: " + lastError + ")");
  }
}
