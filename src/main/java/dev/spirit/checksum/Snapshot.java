package dev.spirit.checksum;

import java.sql.Connection;
import java.sql.SQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One checksum worker's consistent view: a transaction on the sources' server and one on the new tables' server,
 * both opened at the same moment. On one server they are the same session.
 */
public record Snapshot(Connection source, Connection target) implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Snapshot.class);

  /** Ends the transactions and closes the sessions; a snapshot left open would hold its metadata locks. */
  @Override
  public void close() {
    closeQuietly(source);
    if (target != source) {
      closeQuietly(target);
    }
  }

  static void closeQuietly(Connection c) {
    try (c) {
      if (!c.getAutoCommit()) {
        c.rollback();
      }
    } catch (SQLException e) {
      LOG.debug("closing a checksum snapshot failed", e);
    }
  }
}
