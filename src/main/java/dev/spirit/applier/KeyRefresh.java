package dev.spirit.applier;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * How the {@link Applier} brings a batch of changed keys up to date in the new table: their rows deleted there and the
 * source's current rows for them written, as one unit. {@link SameServerRefresh} does it with two statements on the
 * source's server; {@link CrossServerRefresh} reads the rows on the source's server and writes them on another.
 */
public interface KeyRefresh {

  /**
   * @param source a session on the source's server, the one whose reads see every change the batch must reflect (a
   *     pooled session, or the session holding the cutover's or the checksum's lock)
   * @param condition the keys as a WHERE condition over the key columns, without the keyword
   * @throws SQLException with error code 1062 when a unique key of the new table refuses a row; nothing of the batch
   *     is then written
   */
  void refresh(Connection source, String condition) throws SQLException;
}
