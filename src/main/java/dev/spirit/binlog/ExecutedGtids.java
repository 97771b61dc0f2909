package dev.spirit.binlog;

import com.github.shyiko.mysql.binlog.GtidSet;
import com.github.shyiko.mysql.binlog.event.EventData;
import com.github.shyiko.mysql.binlog.event.GtidEventData;
import com.github.shyiko.mysql.binlog.event.GtidTaggedEventData;
import com.github.shyiko.mysql.binlog.event.MariadbGtidEventData;
import dev.spirit.db.MariaDbGtidPosition;

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
  /**
   * The GTID of the transaction being read: {@code uuid:n} on MySQL, {domain, server, sequence} on MariaDB; null
   * between them and for a transaction the set already holds.
   */
  private Object pending;
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

  /**
   * A transaction began with this GTID event's data, written by server {@code serverId} (MariaDB's event leaves the
   * server id to the header).
   *
   * @return whether the set already holds it. Only MySQL can say: a GTID names one transaction there, so one in the
   *     set ran before the start and is skipped, as the server skips it for a replica that connects by GTIDs. MariaDB's
   *     sequence numbers order a domain only under gtid_strict_mode, so nothing is skipped there.
   */
  boolean began(EventData gtidEvent, long serverId) {
    if (mysql != null && (gtidEvent instanceof GtidEventData || gtidEvent instanceof GtidTaggedEventData)) {
      String gtid = gtidEvent instanceof GtidEventData g ? g.getGtid() : ((GtidTaggedEventData) gtidEvent).getGtid();
      if (new GtidSet(gtid).isContainedWithin(mysql)) {
        pending = null;
        return true;
      }
      pending = gtid;
    } else if (mysql == null && gtidEvent instanceof MariadbGtidEventData g) {
      pending = new long[] {g.getDomainId(), serverId, g.getSequence()};
    } else {
      throw new IllegalStateException("a GTID event without a GTID this server writes: " + gtidEvent);
    }
    return false;
  }

  /** The transaction begun last committed. A DDL has no commit event; the next transaction's GTID covers it. */
  void committed() {
    Object p = pending;
    pending = null;
    if (p instanceof String gtid) {
      mysql.add(gtid);
      current = mysql.toString();
    } else if (p instanceof long[] g) {
      mariaDb = mariaDb.with(g[0], g[1], g[2]);
      current = mariaDb.toString();
    }
  }

  @Override
  public String toString() {
    return current;
  }
}
