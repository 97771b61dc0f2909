package dev.spirit.config;

/**
 * The command-line option names, spelled exactly as upstream Spirit spells them. They are constants so that the
 * picocli annotations, the validation messages and the environment-variable names all come from one spelling.
 */
public final class OptionNames {
  public static final String HOST = "--host";
  public static final String USERNAME = "--username";
  public static final String PASSWORD = "--password";
  public static final String DATABASE = "--database";
  public static final String CONF = "--conf";

  public static final String STATEMENT = "--statement";
  public static final String TABLE = "--table";
  public static final String ALTER = "--alter";

  public static final String THREADS = "--threads";
  public static final String WRITE_THREADS = "--write-threads";
  public static final String TARGET_CHUNK_SIZE = "--target-chunk-size";

  public static final String LOCK_WAIT_TIMEOUT = "--lock-wait-timeout";
  public static final String DEFER_CUTOVER = "--defer-cutover";
  public static final String DEFER_CUTOVER_TIMEOUT = "--defer-cutover-timeout";
  public static final String SKIP_DROP_AFTER_CUTOVER = "--skip-drop-after-cutover";

  public static final String REPLICA_DSN = "--replica-dsn";
  public static final String REPLICA_MAX_LAG = "--replica-max-lag";
  public static final String CHECKPOINT_MAX_AGE = "--checkpoint-max-age";

  public static final String TLS_MODE = "--tls-mode";
  public static final String TLS_CA = "--tls-ca";

  public static final String SOURCE_DSN = "--source-dsn";
  public static final String TARGET_DSN = "--target-dsn";
  public static final String DEFER_SECONDARY_INDEXES = "--defer-secondary-indexes";
  public static final String FORCE = "--force";
  public static final String REVERSE_WINDOW = "--reverse-window";
  public static final String METRICS_LISTEN = "--metrics-listen";
  public static final String SOURCE_TABLES = "--source-tables";
  public static final String CUTOVER_HOOK = "--cutover-hook";

  private OptionNames() {}
}
