package dev.spirit.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Replicas whose lag throttles the copy, and the lag budget. The limits on the budget are upstream's preflight
 * limits; they apply even with no replica, because a bad value is still a mistake worth reporting.
 */
public record ReplicaThrottle(List<MysqlDsn> replicas, Duration maxLag) {
  public static final Duration MIN_MAX_LAG = Duration.ofSeconds(10);
  public static final Duration MAX_MAX_LAG = Duration.ofHours(4);

  public ReplicaThrottle {
    replicas = List.copyOf(replicas);
    Objects.requireNonNull(maxLag, "maxLag");
    OptionChecks.between(OptionNames.REPLICA_MAX_LAG, maxLag, MIN_MAX_LAG, MAX_MAX_LAG);
  }

  /**
   * Reads {@code --replica-dsn}: DSNs separated by commas (so a password cannot contain a comma here, as upstream).
   * Null or empty means no replica.
   */
  public static List<MysqlDsn> parseDsnList(String text) {
    List<MysqlDsn> dsns = new ArrayList<>();
    if (text == null || text.isEmpty()) {
      return dsns;
    }
    String[] items = text.split(",", -1);
    for (int i = 0; i < items.length; i++) {
      String item = items[i].strip();
      if (item.isEmpty()) {
        throw new InvalidOptionException(
            OptionNames.REPLICA_DSN + ": DSN number " + (i + 1) + " of " + items.length + " is empty",
            OptionNames.REPLICA_DSN);
      }
      dsns.add(MysqlDsn.parse(OptionNames.REPLICA_DSN, item));
    }
    return dsns;
  }
}
