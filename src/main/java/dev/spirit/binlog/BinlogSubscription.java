package dev.spirit.binlog;

import com.github.shyiko.mysql.binlog.BinaryLogClient;
import com.github.shyiko.mysql.binlog.event.Event;
import com.github.shyiko.mysql.binlog.event.EventHeaderV4;
import com.github.shyiko.mysql.binlog.event.EventType;
import com.github.shyiko.mysql.binlog.event.QueryEventData;
import com.github.shyiko.mysql.binlog.event.RotateEventData;
import dev.spirit.db.BinlogPosition;
import dev.spirit.db.Workers;
import dev.spirit.error.ErrorCode;
import dev.spirit.error.SpiritException;
import dev.spirit.table.NameCase;
import dev.spirit.table.TableInfo;
import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the server's binlog as a replica would, from a position taken before the copy starts, and records the key
 * of every row of the watched tables that changes ({@link TableEvents} reads each event and dispatches it by table).
 *
 * <p>The connection is supervised: the server sends a heartbeat every {@link #HEARTBEAT} while it has nothing else,
 * so a connection that delivers nothing for {@link #STALL_AFTER} while the reader is not busy is dead (a half-open
 * TCP connection, a failed-over address) and is replaced, as is one the server closed. A new connection starts at the
 * last transaction boundary handled, never mid-transaction, so every rows event comes again after its table map; keys
 * already recorded are recorded again, which changes nothing. Only when no connection can be made for
 * {@link #RECONNECT_BUDGET} does the subscription fail.
 */
public final class BinlogSubscription implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BinlogSubscription.class);
  static final Duration HEARTBEAT = Duration.ofSeconds(2);
  static final Duration STALL_AFTER = HEARTBEAT.multipliedBy(4);
  static final Duration RECONNECT_BUDGET = Duration.ofMinutes(5);
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);

  private final Supplier<BinaryLogClient> clients;
  private final TableEvents events;
  private final List<ChangeBuffer> buffers;
  private final long serverId;
  /** Guards the switch from one connection to the next: a replaced connection's late events are dropped. */
  private final Object connectionLock = new Object();
  private final ScheduledExecutorService supervisor;
  private final AtomicInteger reconnects = new AtomicInteger();
  private BinaryLogClient client;
  private volatile long generation;

  private volatile BinlogPosition received;
  /** Where the transaction being read starts (its GTID event); keys are recorded with it. */
  private volatile BinlogPosition transactionStart;
  /** The last position a replica could restart from with nothing of ours lost: a transaction's start or end. */
  private volatile BinlogPosition boundary;
  private volatile long lastActivityNanos;
  private volatile boolean handling;
  private volatile boolean reconnectWanted;
  private volatile String reconnectReason;
  private volatile long unreachableSinceNanos;
  private volatile boolean failedForGood;
  private volatile SpiritException failure;
  private volatile boolean stopping;
  private volatile String swapStatement;
  private volatile boolean swapSeen;
  /**
   * Whether the server identifies transactions by GTID: every boundary then carries the GTID set (MySQL) or position
   * (MariaDB) executed up to it, so a checkpoint holds one too. Connections still start at a file and offset on this
   * server: connecting by GTIDs alone makes the server read its binlog from the start of a file, on every reconnect,
   * and sends no position for what it skips, so a reader that saw no new event would never know where it is.
   */
  private final boolean byGtid;
  /** The GTIDs executed before the event being read, when {@link #byGtid}; replaced at every connection. */
  private volatile ExecutedGtids gtids;
  /**
   * Whether the transaction being read is one the start's GTID set already holds (MySQL): it ran before the start, so
   * its changes are in the copy or the checkpoint already, and its DDL (the run's own shadow table, say) is not DDL
   * during the run. Only a start found from a GTID set (a promoted replica's binlog, read from a file's start) meets
   * one; a start at a recorded offset reads nothing but later transactions.
   */
  private boolean skippingTransaction;
  /** The server the first connection reached; a connection to another one fails the subscription. */
  private final SourceServer sourceServer = new SourceServer();

  /**
   * @param clients new clients for the server, not yet connected (TLS already set up); one per connection
   * @param names how the server compares table names, for table maps and statements
   * @param tables the tables whose changed keys are recorded, all in one schema, each with its own buffer
   * @param watchedForDdl table names (in that schema) whose DDL fails the run: the sources and their new tables
   * @param serverId the replica id to connect with; see {@link #unusedServerId}
   */
  public BinlogSubscription(Supplier<BinaryLogClient> clients, List<WatchedTable> tables, NameCase names,
      BinlogPosition start, List<String> watchedForDdl, long serverId) {
    this.clients = clients;
    this.buffers = tables.stream().map(WatchedTable::buffer).toList();
    this.events = new TableEvents(tables, names, new DdlGuard(tables.get(0).table().schema(), watchedForDdl, names));
    this.serverId = serverId;
    this.received = start;
    this.transactionStart = start;
    this.boundary = start;
    this.byGtid = start.hasGtidSet();
    this.supervisor = Executors.newSingleThreadScheduledExecutor(Workers.daemons("binlog-supervisor"));
  }

  /** A subscription for one table. */
  public BinlogSubscription(Supplier<BinaryLogClient> clients, TableInfo source, NameCase names, BinlogPosition start,
      ChangeBuffer buffer, List<String> watchedForDdl, long serverId) {
    this(clients, List.of(new WatchedTable(source, buffer)), names, start, watchedForDdl, serverId);
  }

  /**
   * A replica id no replica of this server uses (the server disconnects one of two replicas with the same id), in the
   * range upstream Spirit and gh-ost pick from.
   */
  public static long unusedServerId(Connection c) throws SQLException {
    Set<Long> taken = new HashSet<>();
    try (Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("SELECT @@server_id")) {
        if (rs.next()) {
          taken.add(rs.getLong(1));
        }
      }
      try (ResultSet rs = s.executeQuery("SHOW SLAVE HOSTS")) {
        while (rs.next()) {
          taken.add(rs.getLong("Server_id"));
        }
      } catch (SQLException notAllowedToList) {
        // REPLICATION SLAVE is checked in preflight; without the list a random id is still unlikely to collide
      }
    }
    long id;
    do {
      id = ThreadLocalRandom.current().nextLong(1001, 1L << 31);
    } while (taken.contains(id));
    return id;
  }

  public void start(Duration timeout) {
    try {
      connect(boundary, timeout);
    } catch (IOException | TimeoutException e) {
      throw new SpiritException(ErrorCode.BINLOG_FAILED, "cannot follow the binlog from " + boundary + ": "
          + e.getMessage() + "; the user needs REPLICATION SLAVE and REPLICATION CLIENT", e);
    }
    supervisor.scheduleWithFixedDelay(this::supervise, 1, 1, TimeUnit.SECONDS);
  }

  /** Opens a connection at {@code from}; events of every earlier connection are dropped from now on. */
  private void connect(BinlogPosition from, Duration timeout) throws IOException, TimeoutException {
    BinaryLogClient c = clients.get();
    c.setServerId(serverId);
    c.setBinlogFilename(from.file());
    c.setBinlogPosition(from.position());
    // The library's own reconnect resumes wherever it stopped, mid-transaction without the table map; ours does not.
    c.setKeepAlive(false);
    c.setHeartbeatInterval(HEARTBEAT.toMillis());
    c.setEventDeserializer(events.deserializer());
    long gen;
    synchronized (connectionLock) {
      gen = ++generation;
      client = c;
      events.reset();
      gtids = byGtid ? ExecutedGtids.from(from.gtidSet()) : null;
      skippingTransaction = false;
      received = from;
      transactionStart = from;
      boundary = from;
    }
    c.registerEventListener(e -> onEvent(gen, e));
    c.registerLifecycleListener(new Lifecycle(gen));
    lastActivityNanos = System.nanoTime();
    c.connect(timeout.toMillis());
    lastActivityNanos = System.nanoTime();
    if (!sameServer(c)) {
      disconnectQuietly(c);
    }
  }

  /** Whether {@code c} reached the server the subscription started on (or cannot tell yet); fails it otherwise. */
  private boolean sameServer(BinaryLogClient c) {
    String changed = sourceServer.changedTo(c);
    if (changed != null) {
      fail(new SpiritException(ErrorCode.BINLOG_FAILED, changed));
    }
    return changed == null;
  }

  /** Replaces a closed or silent connection; gives up only after {@link #RECONNECT_BUDGET} without one. */
  private void supervise() {
    if (stopping || failure != null) {
      return;
    }
    boolean silent = !handling && System.nanoTime() - lastActivityNanos > STALL_AFTER.toNanos();
    if (!reconnectWanted && !silent) {
      return;
    }
    String why = reconnectWanted ? reconnectReason : "nothing arrived for " + STALL_AFTER.toSeconds()
        + " s, not even a heartbeat";
    BinaryLogClient old;
    synchronized (connectionLock) {
      generation++; // from here on the old connection's events are ignored
      old = client;
    }
    disconnectQuietly(old);
    BinlogPosition from = boundary;
    LOG.warn("binlog connection lost ({}); reconnecting from {}", why, from);
    try {
      connect(from, CONNECT_TIMEOUT);
      reconnectWanted = false;
      unreachableSinceNanos = 0;
      reconnects.incrementAndGet();
      LOG.info("binlog connection re-established at {}", from);
    } catch (IOException | TimeoutException | RuntimeException e) {
      BinaryLogClient attempted;
      synchronized (connectionLock) {
        attempted = client;
      }
      if (!sameServer(attempted)) {
        disconnectQuietly(attempted);
        return;
      }
      long now = System.nanoTime();
      if (unreachableSinceNanos == 0) {
        unreachableSinceNanos = now;
      }
      reconnectWanted = true;
      reconnectReason = why + "; the last attempt to reconnect failed: " + e.getMessage();
      if (now - unreachableSinceNanos > RECONNECT_BUDGET.toNanos()) {
        fail(new SpiritException(ErrorCode.BINLOG_FAILED, "the binlog connection was lost (" + why + ") and could"
            + " not be re-established for " + RECONNECT_BUDGET.toMinutes() + " minutes: " + e.getMessage(), e));
      }
    }
  }

  /** How many times a lost or silent connection was replaced. */
  public int reconnects() {
    return reconnects.get();
  }

  /** The position after the last event this subscription has fully handled. */
  public BinlogPosition received() {
    return received;
  }

  /**
   * A DDL statement the tool itself is about to run on a watched table (its rename, its AUTO_INCREMENT); seeing this
   * exact text in the binlog is no failure. Every other statement on the tables stays one.
   */
  public void expectOwnStatement(String sql) {
    events.guard().expectOwn(sql);
  }

  /**
   * The run's rename of its tables, about to be issued: an own statement, and the end of what this subscription must
   * read. Once the rename is in the binlog, the tables' names belong to the new tables, whose rows (another column
   * count) are no concern of the run's any more, so every event after it is ignored rather than judged. A rename
   * that fails is not written to the binlog, and changes nothing here.
   */
  public void expectSwap(String sql) {
    expectOwnStatement(sql);
    swapStatement = sql.trim();
  }

  /** Throws the subscription's failure, if it has one. */
  public void checkHealthy() {
    SpiritException f = failure;
    if (f != null) {
      throw f;
    }
  }

  /** Waits until every event up to {@code target} has been handled (its keys are in the buffer). */
  public void awaitPosition(BinlogPosition target, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!BinlogCoordinates.reached(received, target)) {
      checkHealthy();
      if (System.nanoTime() > deadline) {
        throw new SpiritException(ErrorCode.TIMED_OUT, "the binlog reader did not reach " + target + " within "
            + timeout + " (it is at " + received + ")");
      }
      Thread.sleep(2);
    }
    checkHealthy();
  }

  private void onEvent(long gen, Event event) {
    synchronized (connectionLock) {
      if (gen != generation || stopping || swapSeen || failure != null) {
        return;
      }
      if (!sameServer(client)) {
        return;
      }
      handling = true;
      try {
        markTransactionStart(event);
        if (!skippingTransaction || !withinTransaction(event)) {
          events.handle(event, transactionStart);
        }
        swapSeen = event.getData() instanceof QueryEventData q && q.getSql() != null
            && q.getSql().trim().equals(swapStatement);
        advance(event);
        markTransactionEnd(event);
      } catch (SpiritException e) {
        failedForGood = true;
        fail(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt(); // the connection is being closed; its successor reads this event again
      } catch (RuntimeException e) {
        failedForGood = true;
        fail(new SpiritException(ErrorCode.BINLOG_FAILED, "could not handle the binlog event after " + received
            + ": " + e, e));
      } finally {
        handling = false;
        lastActivityNanos = System.nanoTime();
      }
    }
  }

  /**
   * Every transaction (DML or DDL) starts with a GTID event on both servers (MySQL writes an anonymous one when
   * gtid_mode is OFF): its position is a place a binlog client can start from, with the table maps that follow.
   */
  private void markTransactionStart(Event event) {
    EventType type = event.getHeader().getEventType();
    if ((type == EventType.GTID || type == EventType.ANONYMOUS_GTID || type == EventType.MARIADB_GTID
        || type == EventType.GTID_TAGGED) && event.getHeader() instanceof EventHeaderV4 h && h.getNextPosition() > 0) {
      // This GTID joins the set only at the commit: the set here is what precedes the transaction.
      skippingTransaction = byGtid && type != EventType.ANONYMOUS_GTID && gtids.began(event.getData(), h.getServerId());
      BinlogPosition start = withGtids(new BinlogPosition(received.file(), h.getNextPosition() - h.getEventLength(),
          null));
      transactionStart = start;
      boundary = start;
    }
  }

  /** Whether an event belongs to the transaction being read (rotations, heartbeats and format events do not). */
  private static boolean withinTransaction(Event event) {
    EventType type = event.getHeader().getEventType();
    return type != EventType.ROTATE && type != EventType.FORMAT_DESCRIPTION && type != EventType.HEARTBEAT
        && type != EventType.HEARTBEAT_V2 && type != EventType.PREVIOUS_GTIDS && type != EventType.MARIADB_GTID_LIST;
  }

  /**
   * After a commit (XID, a COMMIT query for non-transactional engines, or a compressed payload, which holds its own
   * XID) or a rotation, the next event starts a transaction.
   */
  private void markTransactionEnd(Event event) {
    EventType type = event.getHeader().getEventType();
    boolean commitQuery = event.getData() instanceof QueryEventData q && q.getSql() != null
        && q.getSql().trim().equalsIgnoreCase("COMMIT");
    if (type == EventType.XID || type == EventType.TRANSACTION_PAYLOAD || commitQuery || type == EventType.ROTATE) {
      if (byGtid && type != EventType.ROTATE) {
        gtids.committed();
      }
      skippingTransaction = false;
      boundary = withGtids(received);
    }
  }

  /** The position with the GTID set executed up to it, when the subscription follows GTIDs. */
  private BinlogPosition withGtids(BinlogPosition position) {
    return byGtid ? new BinlogPosition(position.file(), position.position(), gtids.toString()) : position;
  }

  /**
   * Where a new subscription may start without losing a change that is not yet in a new table: the start of the
   * oldest transaction with a key pending or in flight in any table's buffer, or, with none, the last transaction
   * boundary handled. The boundary is read first: every change before it is then already in a buffer or applied.
   */
  public BinlogPosition checkpointPosition() {
    BinlogPosition position = boundary;
    for (ChangeBuffer buffer : buffers) {
      BinlogPosition handled = position;
      position = buffer.oldestUnapplied().map(p -> ChangeBuffer.earlier(p, handled)).orElse(handled);
    }
    return position;
  }

  /**
   * Whether the subscription failed in a way a resume from an earlier position would meet again: DDL on a watched
   * table, or an event it cannot decode or handle. A lost or refused connection is not such a failure.
   */
  public boolean failedForGood() {
    return failedForGood;
  }

  /**
   * Publishes the position after this event. The client only updates its own position after the listeners ran, so
   * the event's header (or a rotation's target) is the authority here. Heartbeats say nothing about positions read.
   */
  private void advance(Event event) {
    EventType type = event.getHeader().getEventType();
    if (event.getData() instanceof RotateEventData rotate) {
      received = new BinlogPosition(rotate.getBinlogFilename(), rotate.getBinlogPosition(), null);
    } else if (type != EventType.HEARTBEAT && type != EventType.HEARTBEAT_V2
        && event.getHeader() instanceof EventHeaderV4 header && header.getNextPosition() > 0) {
      received = new BinlogPosition(received.file(), header.getNextPosition(), null);
    }
  }

  private void fail(SpiritException e) {
    if (failure == null) {
      failure = e;
      LOG.error("{}", e.getMessage());
    }
  }

  @Override
  public void close() {
    stopping = true;
    Workers.stop(supervisor, CONNECT_TIMEOUT.plusSeconds(5), "the binlog supervisor");
    BinaryLogClient c;
    synchronized (connectionLock) {
      c = client;
    }
    disconnectQuietly(c);
  }

  private static void disconnectQuietly(BinaryLogClient c) {
    if (c == null) {
      return;
    }
    try {
      c.disconnect();
    } catch (IOException e) {
      LOG.debug("binlog disconnect failed", e);
    }
  }

  private final class Lifecycle implements BinaryLogClient.LifecycleListener {
    private final long gen;

    Lifecycle(long gen) {
      this.gen = gen;
    }

    private boolean current() {
      return !stopping && gen == generation;
    }

    @Override
    public void onConnect(BinaryLogClient c) {
      LOG.debug("binlog reader connected at {}:{}", c.getBinlogFilename(), c.getBinlogPosition());
    }

    @Override
    public void onCommunicationFailure(BinaryLogClient c, Exception ex) {
      if (current()) {
        reconnectReason = "the connection failed: " + ex.getMessage();
        reconnectWanted = true;
      }
    }

    @Override
    public void onEventDeserializationFailure(BinaryLogClient c, Exception ex) {
      if (current()) {
        failedForGood = true;
        fail(new SpiritException(ErrorCode.BINLOG_FAILED, "could not decode the binlog at " + c.getBinlogFilename()
            + ":" + c.getBinlogPosition() + ": " + ex.getMessage(), ex));
      }
    }

    @Override
    public void onDisconnect(BinaryLogClient c) {
      if (current()) {
        reconnectReason = "the server closed the connection";
        reconnectWanted = true;
      }
    }
  }
}
