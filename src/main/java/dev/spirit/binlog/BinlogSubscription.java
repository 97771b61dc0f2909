package dev.spirit.binlog;

import com.github.shyiko.mysql.binlog.BinaryLogClient;
import com.github.shyiko.mysql.binlog.event.DeleteRowsEventData;
import com.github.shyiko.mysql.binlog.event.Event;
import com.github.shyiko.mysql.binlog.event.EventData;
import com.github.shyiko.mysql.binlog.event.EventHeaderV4;
import com.github.shyiko.mysql.binlog.event.RotateEventData;
import com.github.shyiko.mysql.binlog.event.EventType;
import com.github.shyiko.mysql.binlog.event.QueryEventData;
import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.UpdateRowsEventData;
import com.github.shyiko.mysql.binlog.event.WriteRowsEventData;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDeserializer;
import dev.spirit.db.BinlogPosition;
import dev.spirit.error.ErrorCode;
import dev.spirit.error.SpiritException;
import dev.spirit.table.TableInfo;
import java.io.IOException;
import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the server's binlog as a replica would, from a position taken before the copy starts, and records the key
 * of every row of the source table that changes. Row images of other tables (the copy's own inserts into the new
 * table dominate the stream) are skipped without being decoded.
 *
 * <p>Also watches for DDL on the source or new table, which makes the run fail: the copy would no longer match.
 */
public final class BinlogSubscription implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BinlogSubscription.class);

  private final BinaryLogClient client;
  private final String schema;
  private final String table;
  private final KeyCodec keys;
  private final ChangeBuffer buffer;
  private final DdlDetector ddl;
  private final Set<Long> ourTableIds = ConcurrentHashMap.newKeySet();
  private volatile BinlogPosition received;
  /** Where the transaction being read starts (its GTID event); keys are recorded with it. */
  private volatile BinlogPosition transactionStart;
  /** The last position a replica could restart from with nothing of ours lost: a transaction's start or end. */
  private volatile BinlogPosition boundary;
  private volatile boolean failedForGood;
  private volatile SpiritException failure;
  private volatile boolean stopping;
  private volatile boolean ownRenameExpected;
  private final Set<String> ownStatements = ConcurrentHashMap.newKeySet();

  /**
   * @param client a client for the server, not yet connected (TLS already set up)
   * @param watchedForDdl table names (in the source's schema) whose DDL fails the run: the source and the new table
   */
  public BinlogSubscription(BinaryLogClient client, TableInfo source, BinlogPosition start, ChangeBuffer buffer,
      List<String> watchedForDdl) {
    this.schema = source.schema();
    this.table = source.name();
    this.keys = new KeyCodec(source);
    this.buffer = buffer;
    this.ddl = new DdlDetector(watchedForDdl);
    this.received = start;
    this.transactionStart = start;
    this.boundary = start;
    this.client = client;
    client.setServerId(ThreadLocalRandom.current().nextLong(1001, 1L << 31));
    client.setBinlogFilename(start.file());
    client.setBinlogPosition(start.position());
    // A dropped connection could resume mid-transaction without its table map; the run fails instead.
    client.setKeepAlive(false);
    client.setEventDeserializer(deserializer());
    client.registerEventListener(this::onEvent);
    client.registerLifecycleListener(new Lifecycle());
  }

  private EventDeserializer deserializer() {
    EventDeserializer d = new EventDeserializer();
    d.setCompatibilityMode(EventDeserializer.CompatibilityMode.CHAR_AND_BINARY_AS_BYTE_ARRAY,
        EventDeserializer.CompatibilityMode.DATE_AND_TIME_AS_LONG_MICRO,
        EventDeserializer.CompatibilityMode.INVALID_DATE_AND_TIME_AS_MIN_VALUE);
    for (EventType type : List.of(EventType.WRITE_ROWS, EventType.EXT_WRITE_ROWS, EventType.UPDATE_ROWS,
        EventType.EXT_UPDATE_ROWS, EventType.DELETE_ROWS, EventType.EXT_DELETE_ROWS)) {
      d.setEventDataDeserializer(type, new OnlyTablesDeserializer<>(d.getEventDataDeserializer(type), ourTableIds));
    }
    return d;
  }

  public void start(Duration timeout) {
    try {
      client.connect(timeout.toMillis());
    } catch (IOException | TimeoutException e) {
      throw new SpiritException(ErrorCode.BINLOG_FAILED, "cannot follow the binlog of " + client.getBinlogFilename()
          + ": " + e.getMessage() + "; the user needs REPLICATION SLAVE and REPLICATION CLIENT", e);
    }
  }

  /** The position after the last event this subscription has fully handled. */
  public BinlogPosition received() {
    return received;
  }

  /**
   * From now on DDL on the watched tables is the tool's own cutover (it holds the table lock, so no one else can
   * issue any), not a reason to fail.
   */
  public void expectOwnRename() {
    ownRenameExpected = true;
  }

  /** A DDL statement the tool itself is about to run on a watched table; seeing it in the binlog is no failure. */
  public void expectOwnStatement(String sql) {
    ownStatements.add(sql.trim());
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

  private void onEvent(Event event) {
    try {
      EventData data = event.getData();
      if (data instanceof TableMapEventData map) {
        if (map.getDatabase().equals(schema) && map.getTable().equals(table)) {
          ourTableIds.add(map.getTableId());
        } else {
          ourTableIds.remove(map.getTableId());
        }
      } else if (data instanceof WriteRowsEventData w && ourTableIds.contains(w.getTableId())) {
        w.getRows().forEach(row -> buffer.add(keys.keyOf(row), transactionStart));
      } else if (data instanceof UpdateRowsEventData u && ourTableIds.contains(u.getTableId())) {
        for (Map.Entry<Serializable[], Serializable[]> row : u.getRows()) {
          buffer.add(keys.keyOf(row.getKey()), transactionStart);
          buffer.add(keys.keyOf(row.getValue()), transactionStart);
        }
      } else if (data instanceof DeleteRowsEventData d && ourTableIds.contains(d.getTableId())) {
        d.getRows().forEach(row -> buffer.add(keys.keyOf(row), transactionStart));
      } else if (data instanceof QueryEventData q) {
        onQuery(q);
      }
      markTransactionStart(event);
      advance(event);
      markTransactionEnd(event);
    } catch (RuntimeException e) {
      failedForGood = true;
      fail(new SpiritException(ErrorCode.BINLOG_FAILED, "could not handle binlog event at "
          + client.getBinlogFilename() + ":" + client.getBinlogPosition() + ": " + e, e));
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
      BinlogPosition start = new BinlogPosition(received.file(), h.getNextPosition() - h.getEventLength(), null);
      transactionStart = start;
      boundary = start;
    }
  }

  /** After a commit (XID, or a COMMIT query for non-transactional engines) or a rotation, the next event starts one. */
  private void markTransactionEnd(Event event) {
    EventType type = event.getHeader().getEventType();
    boolean commitQuery = event.getData() instanceof QueryEventData q && q.getSql() != null
        && q.getSql().trim().equalsIgnoreCase("COMMIT");
    if (type == EventType.XID || commitQuery || type == EventType.ROTATE) {
      boundary = received;
    }
  }

  /**
   * Where a new subscription may start without losing a change that is not yet in the new table: the start of the
   * oldest transaction with a key pending or in flight, or, with none, the last transaction boundary handled. The
   * boundary is read first: every change before it is then already in the buffer or applied.
   */
  public BinlogPosition checkpointPosition() {
    BinlogPosition handled = boundary;
    return buffer.oldestUnapplied().map(p -> ChangeBuffer.earlier(p, handled)).orElse(handled);
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
   * the event's header (or a rotation's target) is the authority here.
   */
  private void advance(Event event) {
    if (event.getData() instanceof RotateEventData rotate) {
      received = new BinlogPosition(rotate.getBinlogFilename(), rotate.getBinlogPosition(), null);
    } else if (event.getHeader() instanceof EventHeaderV4 header && header.getNextPosition() > 0) {
      received = new BinlogPosition(received.file(), header.getNextPosition(), null);
    }
  }

  private void onQuery(QueryEventData q) {
    String db = q.getDatabase();
    if (q.getSql() == null || stopping || ownRenameExpected || ownStatements.contains(q.getSql().trim())) {
      return;
    }
    String touched = ddl.touchedTable(q.getSql());
    if (touched != null && (db == null || db.isEmpty() || db.equals(schema) || q.getSql().contains(schema))) {
      failedForGood = true;
      fail(new SpiritException(ErrorCode.BINLOG_FAILED, "table `" + schema + "`.`" + touched
          + "` was changed by another session during the migration (" + abbreviate(q.getSql())
          + "); the migration stopped. Run it again once nothing else changes the table's definition."));
    }
  }

  private static String abbreviate(String sql) {
    String one = sql.replaceAll("\\s+", " ").trim();
    return one.length() > 120 ? one.substring(0, 117) + "..." : one;
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
    try {
      client.disconnect();
    } catch (IOException e) {
      LOG.debug("binlog disconnect failed", e);
    }
  }

  private final class Lifecycle implements BinaryLogClient.LifecycleListener {
    @Override
    public void onConnect(BinaryLogClient c) {
      LOG.debug("binlog reader connected at {}:{}", c.getBinlogFilename(), c.getBinlogPosition());
    }

    @Override
    public void onCommunicationFailure(BinaryLogClient c, Exception ex) {
      if (!stopping) {
        fail(new SpiritException(ErrorCode.BINLOG_FAILED, "the binlog connection failed at " + c.getBinlogFilename()
            + ":" + c.getBinlogPosition() + ": " + ex.getMessage(), ex));
      }
    }

    @Override
    public void onEventDeserializationFailure(BinaryLogClient c, Exception ex) {
      failedForGood = true;
      fail(new SpiritException(ErrorCode.BINLOG_FAILED, "could not decode the binlog at " + c.getBinlogFilename()
          + ":" + c.getBinlogPosition() + ": " + ex.getMessage(), ex));
    }

    @Override
    public void onDisconnect(BinaryLogClient c) {
      if (!stopping) {
        fail(new SpiritException(ErrorCode.BINLOG_FAILED, "the binlog connection closed unexpectedly at "
            + c.getBinlogFilename() + ":" + c.getBinlogPosition()));
      }
    }
  }
}
