package dev.spirit.db;

import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A MariaDB GTID position ({@code domain-server-seq,…}, as {@code @@gtid_binlog_pos} and {@code BINLOG_GTID_POS()}
 * print it): the last transaction of each replication domain. Sequence numbers only grow within a domain, so the last
 * one stands for all before it, and one position follows another where, domain by domain, its numbers are at least
 * as high. The binlog subscription keeps one as it reads (the library tracks GTIDs only when it also connects by
 * them); a resume compares them with the server's.
 */
public final class MariaDbGtidPosition {
  private final Map<Long, String> lastByDomain;

  private MariaDbGtidPosition(Map<Long, String> lastByDomain) {
    this.lastByDomain = lastByDomain;
  }

  /** @param position as the server prints it; null or empty for no transaction yet */
  public static MariaDbGtidPosition parse(String position) {
    Map<Long, String> last = new TreeMap<>();
    if (position != null) {
      for (String gtid : position.split(",")) {
        String g = gtid.trim();
        if (!g.isEmpty()) {
          last.put(domain(g), g);
        }
      }
    }
    return new MariaDbGtidPosition(last);
  }

  /** Whether {@code position} is written the MariaDB way (a MySQL set names a server UUID and a colon). */
  public static boolean isMariaDb(String position) {
    return position.matches("\\s*\\d+-\\d+-\\d+(\\s*,\\s*\\d+-\\d+-\\d+)*\\s*");
  }

  /** This position with the transaction {@code domain-server-seq} committed. */
  public MariaDbGtidPosition with(long domain, long server, long sequence) {
    Map<Long, String> next = new TreeMap<>(lastByDomain);
    next.put(domain, domain + "-" + server + "-" + sequence);
    return new MariaDbGtidPosition(next);
  }

  /** Whether every transaction up to {@code earlier} is also up to this position. */
  public boolean covers(MariaDbGtidPosition earlier) {
    for (Map.Entry<Long, String> e : earlier.lastByDomain.entrySet()) {
      String mine = lastByDomain.get(e.getKey());
      if (mine == null || sequence(mine) < sequence(e.getValue())) {
        return false;
      }
    }
    return true;
  }

  private static long domain(String gtid) {
    int dash = gtid.indexOf('-');
    if (dash <= 0 || gtid.chars().filter(ch -> ch == '-').count() != 2) {
      throw new IllegalArgumentException("not a MariaDB GTID (domain-server-seq): " + gtid);
    }
    return Long.parseLong(gtid.substring(0, dash));
  }

  private static long sequence(String gtid) {
    return Long.parseLong(gtid.substring(gtid.lastIndexOf('-') + 1));
  }

  @Override
  public String toString() {
    return lastByDomain.values().stream().collect(Collectors.joining(","));
  }
}
