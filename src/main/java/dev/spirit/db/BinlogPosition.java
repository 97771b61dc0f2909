package dev.spirit.db;

/**
 * A point in the server's binary log: file and offset always, and the GTID set executed up to it when the server
 * has one (MySQL with gtid_mode=ON: {@code uuid:1-n,…}; MariaDB: {@code domain-server-seq,…}).
 */
public record BinlogPosition(String file, long position, String gtidSet) {

  public boolean hasGtidSet() {
    return gtidSet != null && !gtidSet.isBlank();
  }

  @Override
  public String toString() {
    return file + ":" + position + (hasGtidSet() ? " (" + gtidSet + ")" : "");
  }
}
