package dev.spirit.binlog;

import com.github.shyiko.mysql.binlog.GtidSet;
import com.github.shyiko.mysql.binlog.event.EventData;
import com.github.shyiko.mysql.binlog.event.GtidEventData;
import com.github.shyiko.mysql.binlog.event.GtidTaggedEventData;
import com.github.shyiko.mysql.binlog.event.MariadbGtidEventData;

/**
 * The GTIDs executed up to the event being read, kept by the subscription itself: the binlog library keeps them only
 * when it also connects by them, and a connection by GTIDs makes the server read its binlog from the start of a file
 * and report no position for what it skips. A transaction's GTID joins only at its commit, so the value between a
 * GTID event and the commit is what precedes that transaction. Used on the event thread only.
 */
final class ExecutedGtids {
  /** MySQL ({@code uuid:1-n,…}); null on MariaDB. */
  private final GtidSet mysql;
  /** MariaDB ({@code domain-server-seq,…}); null on MySQL. */
  private MariaDbGtidPosition mariaDb;
  private EventData pending;
  private String current;

  private ExecutedGtids(GtidSet mysql, MariaDbGtidPosition mariaDb, String current) {
    this.mysql = mysql;
    this.mariaDb = mariaDb;
    this.current = current;
  }

  /** From a set as the server shows it ({@code Executed_Gtid_Set} or {@code @@gtid_binlog_pos}). */
  static ExecutedGtids from(String set) {
    if (MariaDbGtidPosition.isMariaDb(set)) {
      MariaDbGtidPosition p = MariaDbGtidPosition.parse(set);
      return new ExecutedGtids(null, p, p.toString());
    }
    GtidSet s = new GtidSet(set.replace("\n", ""));
    return new ExecutedGtids(s, null, s.toString());
  }

  /** A transaction began with this GTID event's data. */
  void began(EventData gtidEvent) {
    boolean known = mysql != null
        ? gtidEvent instanceof GtidEventData || gtidEvent instanceof GtidTaggedEventData
        : gtidEvent instanceof MariadbGtidEventData;
    if (!known) {
      throw new IllegalStateException("a GTID event without a GTID this server writes: " + gtidEvent);
    }
    pending = gtidEvent;
  }

  /** The transaction begun last committed. A DDL has no commit event; the next transaction's GTID covers it. */
  void committed() {
    EventData p = pending;
    pending = null;
    if (p instanceof GtidEventData g) {
      mysql.add(g.getGtid());
      current = mysql.toString();
    } else if (p instanceof GtidTaggedEventData g) {
      mysql.add(g.getGtid());
      current = mysql.toString();
    } else if (p instanceof MariadbGtidEventData g) {
      mariaDb = mariaDb.with(g.getDomainId(), g.getServerId(), g.getSequence());
      current = mariaDb.toString();
    }
  }

  @Override
  public String toString() {
    return current;
  }
}
