package dev.spirit.db;

import java.util.Map;
import java.util.TreeMap;

/**
 * A MariaDB GTID position read for comparison ({@code domain-server-seq,…}, as {@code @@gtid_binlog_pos} and
 * {@code BINLOG_GTID_POS()} print it): the last transaction of each replication domain. Sequence numbers only grow
 * within a domain, so one position follows another where, domain by domain, its numbers are at least as high.
 */
record MariaDbGtidState(Map<Long, String> lastByDomain) {

  static MariaDbGtidState parse(String position) {
    Map<Long, String> last = new TreeMap<>();
    if (position != null) {
      for (String gtid : position.split(",")) {
        String g = gtid.trim();
        if (!g.isEmpty()) {
          String[] parts = g.split("-");
          if (parts.length != 3) {
            throw new IllegalArgumentException("not a MariaDB GTID (domain-server-seq): " + g);
          }
          last.put(Long.parseLong(parts[0]), g);
        }
      }
    }
    return new MariaDbGtidState(last);
  }

  /** Whether every transaction up to {@code earlier} is also up to this position. */
  boolean covers(MariaDbGtidState earlier) {
    for (Map.Entry<Long, String> e : earlier.lastByDomain.entrySet()) {
      String mine = lastByDomain.get(e.getKey());
      if (mine == null || sequence(mine) < sequence(e.getValue())) {
        return false;
      }
    }
    return true;
  }

  private static long sequence(String gtid) {
    return Long.parseLong(gtid.substring(gtid.lastIndexOf('-') + 1));
  }
}
