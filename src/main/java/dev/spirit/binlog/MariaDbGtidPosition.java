package dev.spirit.binlog;

import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A MariaDB GTID position ({@code domain-server-seq,…}, as {@code @@gtid_binlog_pos} shows it): the last transaction
 * of each replication domain. Within a domain sequence numbers only grow, so the last one stands for all before it.
 * The binlog library tracks GTIDs only when it also connects by them, which makes the server scan its binlog from the
 * start of a file on every connect; the subscription connects by file and offset and keeps this itself.
 */
final class MariaDbGtidPosition {
  private final Map<Long, String> lastByDomain;

  private MariaDbGtidPosition(Map<Long, String> lastByDomain) {
    this.lastByDomain = lastByDomain;
  }

  static MariaDbGtidPosition parse(String position) {
    Map<Long, String> last = new TreeMap<>();
    for (String gtid : position.split(",")) {
      String g = gtid.trim();
      if (!g.isEmpty()) {
        last.put(domain(g), g);
      }
    }
    return new MariaDbGtidPosition(last);
  }

  /** Whether {@code position} is written the MariaDB way (a MySQL set names a server UUID and a colon). */
  static boolean isMariaDb(String position) {
    return position.matches("\\s*\\d+-\\d+-\\d+(\\s*,\\s*\\d+-\\d+-\\d+)*\\s*");
  }

  /** This position with the transaction {@code domain-server-seq} committed. */
  MariaDbGtidPosition with(long domain, long server, long sequence) {
    Map<Long, String> next = new TreeMap<>(lastByDomain);
    next.put(domain, domain + "-" + server + "-" + sequence);
    return new MariaDbGtidPosition(next);
  }

  private static long domain(String gtid) {
    int dash = gtid.indexOf('-');
    if (dash <= 0 || gtid.chars().filter(ch -> ch == '-').count() != 2) {
      throw new IllegalArgumentException("not a MariaDB GTID (domain-server-seq): " + gtid);
    }
    return Long.parseLong(gtid.substring(0, dash));
  }

  @Override
  public String toString() {
    return lastByDomain.values().stream().collect(Collectors.joining(","));
  }
}
