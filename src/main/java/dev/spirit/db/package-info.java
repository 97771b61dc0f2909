/**
 * Connections to the server and what differs between server flavours.
 *
 * <p>Owns: {@link dev.spirit.db.ServerFlavor} (MySQL or MariaDB, detected from {@code SELECT VERSION()}, never from
 * the handshake), binlog coordinates and settings as the server reports them, and
 * {@link dev.spirit.db.BackgroundPriority}: whether bulk statements can run at the server's lowest CPU priority;
 * {@link dev.spirit.db.AdvisoryLock} (a run's proof of ownership, kept alive and re-checked) and
 * {@link dev.spirit.db.ReopeningSession} (a long-lived session re-opened when lost);
 * {@link dev.spirit.db.TableLockSessions} (read locks on several tables without a deadlock cycle) and
 * {@link dev.spirit.db.MetadataLockBlockers} (ending the sessions that keep a table lock from being granted).
 *
 * <p>Invariants: no code outside this package branches on the server's product or version; it asks the flavour.
 * Every session the tool opens carries the same session settings, and every setting correctness depends on is pinned
 * there (sql_mode, time zone, max_error_count, wait_timeout, lock waits); warnings are counted from the server's
 * reply, never only listed. A lowered priority is per statement (a hint), never a session setting, so a pooled
 * connection never carries it into the applier or a lock. Every session a {@link dev.spirit.db.Database} opens is
 * recorded as the run's own, and a blocker search never ends one of those, nor an explicit {@code LOCK TABLES}.
 */
package dev.spirit.db;
