package dev.spirit.binlog;

import com.github.shyiko.mysql.binlog.BinaryLogClient;

/**
 * Which server a subscription's connections reach: the {@code server_id} its first connection found (the binlog
 * library asks for it at every connection, before it asks for the binlog). A later connection that reaches another
 * server (a failover behind the same address) would read that server's file of the same name at this run's offset,
 * missing or misreading changes, so it is a failure; not one for good, since a resume finds the checkpoint's place in
 * the new server's binlog by its GTID set.
 */
final class SourceServer {
  /** 0 until the first connection reports one (MySQL and MariaDB refuse replication from server_id 0). */
  private volatile long serverId;

  /** Why {@code c} must not be read from: null when it reached the first connection's server or cannot tell yet. */
  String changedTo(BinaryLogClient c) {
    long id = c == null ? 0 : c.getMasterServerId();
    if (id == 0) {
      return null;
    }
    if (serverId == 0) {
      serverId = id;
    }
    return id == serverId ? null : "the binlog connection now reaches another server (server_id " + id + "; the run"
        + " began on server_id " + serverId + "), a failover behind the same address: its binlog offsets are not this"
        + " run's. Run the same command again once the new server is the primary: the run resumes from its"
        + " checkpoint, found in the new server's binlog by its GTID set";
  }
}
