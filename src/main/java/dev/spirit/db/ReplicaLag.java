package dev.spirit.db;

import java.sql.SQLException;

/**
 * How far one replica is behind its primary, measured as the replica's flavour allows ({@link
 * ServerFlavor#replicaLag}). Implementations keep their sessions and any history between calls; one caller at a
 * time.
 */
public interface ReplicaLag extends AutoCloseable {
  /** One measurement: the lag, or that replication is not running at all, which no lag figure can express. */
  record Measurement(long lagMillis, String stopped) {
    public static Measurement lag(long millis) {
      return new Measurement(Math.max(0, millis), null);
    }

    public static Measurement stopped(String why) {
      return new Measurement(Long.MAX_VALUE, why);
    }
  }

  Measurement measure() throws SQLException;

  @Override
  void close();
}
