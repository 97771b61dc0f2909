/**
 * Connections to the server and what differs between server flavours.
 *
 * <p>Owns: {@link dev.spirit.db.ServerFlavor} (MySQL or MariaDB, detected from {@code SELECT VERSION()}, never from
 * the handshake), binlog coordinates and settings as the server reports them.
 *
 * <p>Invariants: no code outside this package branches on the server's product or version; it asks the flavour.
 * Every session the tool opens carries the same session settings.
 */
package dev.spirit.db;
