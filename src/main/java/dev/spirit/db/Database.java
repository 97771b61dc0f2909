package dev.spirit.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.spirit.error.ErrorCode;
import dev.spirit.error.SpiritException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;

/**
 * How the tool reaches one server, and the one place where its sessions get their settings. Every connection, pooled
 * or dedicated, runs {@link #sessionSetup}: non-strict sql_mode (so lossy conversions surface as warnings the tool
 * inspects instead of silently differing between servers, and legacy zero dates copy), UTC unless asked otherwise
 * ({@link #inServerTimeZone}: UTC makes every TIMESTAMP a literal that names one instant), READ COMMITTED (so
 * {@code INSERT … SELECT} reads the source as a consistent read, without locking its rows), and bounded lock waits.
 */
public final class Database {
  /** Row-lock waits between the tool's own writers are short; a longer one means something is wrong. */
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Database.class);
  /** ER_SPECIFIC_ACCESS_DENIED_ERROR: the statement needs a privilege the user lacks. */
  private static final int SPECIFIC_ACCESS_DENIED = 1227;
  static final int INNODB_LOCK_WAIT_SECONDS = 10;
  /** A day: longer than any wait between two uses of a dedicated session. */
  static final int SESSION_WAIT_TIMEOUT_SECONDS = 86_400;
  static final String UTC = "+00:00";

  private final String jdbcUrl;
  private final String user;
  private final String password;
  private final Duration lockWaitTimeout;
  /** The sessions' time_zone, or null for the server's own. */
  private final String timeZone;
  /** Shared by every copy of this database ({@link #inServerTimeZone}). */
  private final Sessions sessions;

  /**
   * @param jdbcUrl {@code jdbc:mysql://host:port/schema?…}; TLS and timeouts already in it
   * @param lockWaitTimeout the session's metadata-lock wait ({@code --lock-wait-timeout})
   */
  public Database(String jdbcUrl, String user, String password, Duration lockWaitTimeout) {
    this(jdbcUrl, user, password, lockWaitTimeout, UTC, new Sessions());
  }

  private Database(String jdbcUrl, String user, String password, Duration lockWaitTimeout, String timeZone,
      Sessions sessions) {
    this.jdbcUrl = jdbcUrl;
    this.user = user;
    this.password = password;
    this.lockWaitTimeout = lockWaitTimeout;
    this.timeZone = timeZone;
    this.sessions = sessions;
  }

  /**
   * Which sessions on the server are this run's (every connection opened through this database, pooled or not), and
   * what ends the sessions that block its table locks. Killing one of its own sessions would fail the run, or worse,
   * let go of a lock it relies on.
   */
  static final class Sessions {
    private final java.util.Set<Long> ids = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile MetadataLockBlockers blockers = MetadataLockBlockers.NONE;
    /** Whether sessions raise max_error_count; false once the server has refused it to this user. */
    private volatile boolean errorCount = true;
  }

  /** Whether the server's session {@code id} was opened by this run. */
  boolean ownsSession(long id) {
    return sessions.ids.contains(id);
  }

  /** From now on, every table lock the run takes on this database ends the sessions that block it, if it can. */
  public void endBlockersWith(MetadataLockBlockers blockers) {
    sessions.blockers = blockers;
  }

  /** What ends the sessions that block the run's table locks ({@link MetadataLockBlockers#NONE} until enabled). */
  public MetadataLockBlockers blockers() {
    return sessions.blockers;
  }

  /**
   * The same server, with sessions in the server's own {@code time_zone} rather than UTC: for a change that converts
   * between DATETIME and TIMESTAMP, whose values must convert as a native ALTER in a default session converts them.
   */
  public Database inServerTimeZone() {
    return new Database(jdbcUrl, user, password, lockWaitTimeout, null, sessions);
  }

  /** Whether sessions run in UTC (else in the server's own time zone). */
  public boolean utc() {
    return timeZone != null;
  }

  public Duration lockWaitTimeout() {
    return lockWaitTimeout;
  }

  /**
   * Every session variable correctness depends on is pinned here, whatever the server's defaults: sql_mode and
   * time_zone (how values convert; ALLOW_INVALID_DATES so a date such as 2021-02-31, which an application may have
   * written under that mode, is written to another server as it is rather than as a zero date), max_error_count (so every warning the tool must see is listed; see
   * {@link SqlWarning#fetch}), the lock waits, and wait_timeout (a dedicated session may sit idle between uses, and a
   * fleet's short default must not close it; pooled sessions are retired by the pool long before).
   */
  String sessionSetup() {
    return sessionSetup(true);
  }

  /**
   * @param errorCount whether to raise max_error_count, which MySQL 8.0 lets only a user with
   *     SESSION_VARIABLES_ADMIN set; without it the server's own limit stays, and {@link SqlWarning} stops the run on a
   *     statement whose warnings it could not all read
   */
  private String sessionSetup(boolean errorCount) {
    return "SET SESSION sql_mode = 'NO_AUTO_VALUE_ON_ZERO,ALLOW_INVALID_DATES', "
        + (timeZone == null ? "" : "time_zone = '" + timeZone + "', ") + (errorCount ? "max_error_count = 65535," : "")
        + " wait_timeout = " + SESSION_WAIT_TIMEOUT_SECONDS
        + ", lock_wait_timeout = " + Math.max(1, lockWaitTimeout.toSeconds())
        + ", innodb_lock_wait_timeout = " + INNODB_LOCK_WAIT_SECONDS;
  }

  /** A named pool of {@code size} connections, for work that may run on any connection. */
  public HikariDataSource pool(String name, int size) {
    HikariConfig config = new HikariConfig();
    config.setPoolName("spirit-" + name);
    config.setDataSource(new SessionSource());
    config.setMaximumPoolSize(size);
    config.setMinimumIdle(0);
    config.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
    config.setAutoCommit(true);
    config.setConnectionTimeout(30_000);
    config.setMaxLifetime(Duration.ofMinutes(30).toMillis());
    try {
      return new HikariDataSource(config);
    } catch (RuntimeException e) {
      Throwable cause = e.getCause() instanceof SQLException ? e.getCause() : e;
      throw connectFailure(cause, serverName());
    }
  }

  /**
   * A connection of its own, outside any pool: for locks and snapshots that must stay on one session for their whole
   * life (table locks, the cutover, consistent-snapshot transactions, advisory locks).
   */
  public Connection connect() throws SQLException {
    Connection c;
    try {
      c = DriverManager.getConnection(jdbcUrl, credentials());
    } catch (SQLException e) {
      throw connectFailure(e, serverName());
    }
    return setUp(c);
  }

  private Properties credentials() {
    Properties props = driverProperties();
    props.setProperty("user", user);
    props.setProperty("password", password);
    return props;
  }

  /** Gives a new session its settings and records it as this run's. */
  private Connection setUp(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      try {
        s.execute(sessionSetup(sessions.errorCount));
      } catch (SQLException e) {
        if (e.getErrorCode() != SPECIFIC_ACCESS_DENIED || !sessions.errorCount) {
          throw e;
        }
        sessions.errorCount = false;
        s.execute(sessionSetup(false));
        LOG.warn("this user may not raise max_error_count (MySQL: GRANT SESSION_VARIABLES_ADMIN ON *.*), so the"
            + " server's limit on listed warnings stays; a statement with more warnings than that stops the run");
      }
      c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
      try (java.sql.ResultSet rs = s.executeQuery("SELECT CONNECTION_ID()")) {
        rs.next();
        sessions.ids.add(rs.getLong(1));
      }
    } catch (SQLException | RuntimeException e) {
      c.close();
      throw e;
    }
    return c;
  }

  /** The pool's connections, opened and set up as {@link #connect} does, errors left to the pool to report. */
  private final class SessionSource implements javax.sql.DataSource {
    @Override
    public Connection getConnection() throws SQLException {
      return setUp(DriverManager.getConnection(jdbcUrl, credentials()));
    }

    @Override
    public Connection getConnection(String username, String pass) throws SQLException {
      return getConnection();
    }

    @Override
    public java.io.PrintWriter getLogWriter() {
      return null;
    }

    @Override
    public void setLogWriter(java.io.PrintWriter out) {}

    @Override
    public void setLoginTimeout(int seconds) {}

    @Override
    public int getLoginTimeout() {
      return 0;
    }

    @Override
    public java.util.logging.Logger getParentLogger() throws java.sql.SQLFeatureNotSupportedException {
      throw new java.sql.SQLFeatureNotSupportedException();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
      throw new SQLException("not a wrapper");
    }

    @Override
    public boolean isWrapperFor(Class<?> type) {
      return false;
    }
  }

  private static Properties driverProperties() {
    Properties props = new Properties();
    props.setProperty("characterEncoding", "UTF-8");
    props.setProperty("connectionCollation", "utf8mb4_bin");
    // Statements are rendered client-side; the tool never depends on server-side prepared statement caches.
    props.setProperty("useServerPrepStmts", "false");
    // The driver still parses each prepared statement's SQL; the copy and the checksum prepare the same long SQL for
    // every chunk, so each connection keeps its parses (that parsing was hot enough to be JIT-compiled every run).
    props.setProperty("cachePrepStmts", "true");
    props.setProperty("prepStmtCacheSqlLimit", "65536");
    props.setProperty("tcpKeepAlive", "true");
    // Key values come back as what they are: TINYINT(1) as a number, not a Boolean; YEAR as a number, not a Date.
    props.setProperty("tinyInt1isBit", "false");
    props.setProperty("yearIsDateType", "false");
    return props;
  }

  /** host:port, for messages. */
  String serverName() {
    String rest = jdbcUrl.substring(jdbcUrl.indexOf("//") + 2);
    return rest.substring(0, rest.indexOf('/'));
  }

  private static SpiritException connectFailure(Throwable cause, String server) {
    if (cause instanceof SQLException sql && sql.getErrorCode() == 1049) {
      return new SpiritException(ErrorCode.SCHEMA_NOT_FOUND, sql.getMessage() + " on this server; check --database",
          sql);
    }
    if (cause instanceof SQLException sql && sql.getErrorCode() == 1045) {
      return new SpiritException(ErrorCode.ACCESS_DENIED, "access denied: " + sql.getMessage()
          + "; check --username and --password", sql);
    }
    Throwable root = cause;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String reason = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    return new SpiritException(ErrorCode.CONNECTION_FAILED, "cannot connect to " + server + ": "
        + reason.lines().findFirst().orElse(reason) + "; check --host and that the server is running", cause);
  }
}
