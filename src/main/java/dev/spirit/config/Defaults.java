package dev.spirit.config;

/**
 * Built-in defaults, the lowest layer of configuration. Values match upstream Spirit's flag defaults; they are
 * strings because they feed picocli's {@code defaultValue} and go through the same parsing as typed input.
 */
public final class Defaults {
  public static final String HOST = HostPort.DEFAULT_HOST + ":" + HostPort.DEFAULT_PORT;
  public static final String USERNAME = "spirit";
  // Never shown in help: the option that uses it hides its default.
  public static final String PASSWORD = "spirit";
  public static final String DATABASE = "test";

  public static final String MIGRATE_THREADS = "4";
  // Upstream's move copies with fewer readers by default than migrate.
  public static final String MOVE_THREADS = "2";
  public static final String WRITE_THREADS = "4";
  // Upstream's default is 16 MiB. A copied range is one transaction, and while its binlog is written every other
  // commit on the server waits; at 16 MiB that held the application's commits for 100-200 ms at a time on MySQL
  // (docs/benchmarks.md, "Application latency"). 2 MiB ranges cost the copy no measurable speed.
  public static final String TARGET_CHUNK_SIZE = "2097152";

  public static final String LOCK_WAIT_TIMEOUT = "30s";
  public static final String DEFER_CUTOVER_TIMEOUT = "48h";
  public static final String REPLICA_MAX_LAG = "120s";
  public static final String CHECKPOINT_MAX_AGE = "168h";
  public static final String REVERSE_WINDOW = "0s";

  public static final String TLS_MODE = "PREFERRED";

  // Go MySQL DSNs; both carry the default password, so their options never show a default in help.
  public static final String SOURCE_DSN = "spirit:spirit@tcp(127.0.0.1:3306)/src";
  public static final String TARGET_DSN = "spirit:spirit@tcp(127.0.0.1:3306)/dest";

  private Defaults() {}
}
