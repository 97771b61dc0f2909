package dev.spirit.binlog;

import com.github.shyiko.mysql.binlog.event.DeleteRowsEventData;
import com.github.shyiko.mysql.binlog.event.Event;
import com.github.shyiko.mysql.binlog.event.EventData;
import com.github.shyiko.mysql.binlog.event.EventType;
import com.github.shyiko.mysql.binlog.event.QueryEventData;
import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.TransactionPayloadEventData;
import com.github.shyiko.mysql.binlog.event.UpdateRowsEventData;
import com.github.shyiko.mysql.binlog.event.WriteRowsEventData;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDeserializer;
import dev.spirit.db.BinlogPosition;
import dev.spirit.error.ErrorCode;
import dev.spirit.error.SpiritException;
import dev.spirit.table.NameCase;
import dev.spirit.table.TableInfo;
import java.io.IOException;
import java.io.Serializable;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * What one binlog event means for the watched tables: the keys of their rows that changed, each into its table's
 * change buffer (one reader dispatching by table id), and everything that must stop the run. Fails closed: an event type it does not know, a statement-format change, a row
 * image that cannot be keyed or a table map whose columns do not match the table's definition all throw, never pass.
 */
final class TableEvents {
  /** Events that carry nothing a row-following reader must act on. */
  private static final Set<EventType> INERT = EnumSet.of(EventType.FORMAT_DESCRIPTION, EventType.ROTATE,
      EventType.STOP, EventType.GTID, EventType.ANONYMOUS_GTID, EventType.GTID_TAGGED, EventType.PREVIOUS_GTIDS,
      EventType.XID, EventType.HEARTBEAT, EventType.HEARTBEAT_V2, EventType.ROWS_QUERY, EventType.ANNOTATE_ROWS,
      EventType.MARIADB_GTID, EventType.MARIADB_GTID_LIST, EventType.BINLOG_CHECKPOINT, EventType.XA_PREPARE,
      EventType.TRANSACTION_CONTEXT, EventType.VIEW_CHANGE, EventType.IGNORABLE, EventType.INTVAR, EventType.RAND,
      EventType.USER_VAR);
  /** LOAD DATA written in statement format: the rows are in a file on the server, not in the binlog. */
  private static final Set<EventType> STATEMENT_LOAD = EnumSet.of(EventType.BEGIN_LOAD_QUERY,
      EventType.EXECUTE_LOAD_QUERY, EventType.LOAD, EventType.NEW_LOAD, EventType.CREATE_FILE, EventType.APPEND_BLOCK,
      EventType.EXEC_LOAD, EventType.DELETE_FILE);

  /** A watched table with the codec that reads its keys out of row images. */
  private record Tracked(TableInfo table, KeyCodec keys, ChangeBuffer buffer) {}

  private final List<Tracked> tracked;
  /** The watched tables by folded schema and name: every table map is looked up here, whatever the table count. */
  private final Map<List<String>, Tracked> byName;
  private final NameCase names;
  private final DdlGuard guard;
  /** Table id (from the current connection's table maps) to the watched table it names. */
  private final Map<Long, Tracked> byId = new ConcurrentHashMap<>();

  TableEvents(List<WatchedTable> watched, NameCase names, DdlGuard guard) {
    this.tracked = watched.stream().map(w -> new Tracked(w.table(), new KeyCodec(w.table()), w.buffer())).toList();
    this.byName = tracked.stream().collect(Collectors.toUnmodifiableMap(
        t -> nameKey(names, t.table().schema(), t.table().name()), t -> t));
    this.names = names;
    this.guard = guard;
  }

  DdlGuard guard() {
    return guard;
  }

  /** A deserializer for one connection that decodes only this table's rows events; the others are skipped undecoded. */
  EventDeserializer deserializer() {
    return EventDecoding.deserializer(byId.keySet());
  }

  /** A new connection starts at a transaction's start, whose table maps come again: forget the old ids. */
  void reset() {
    byId.clear();
  }

  /** @param transactionStart where the transaction holding the event starts; its keys are recorded with it */
  void handle(Event event, BinlogPosition transactionStart) throws InterruptedException {
    EventType type = event.getHeader().getEventType();
    EventData data = event.getData();
    if (data instanceof TableMapEventData map) {
      onTableMap(map);
    } else if (data instanceof WriteRowsEventData w) {
      Tracked t = byId.get(w.getTableId());
      if (t != null) {
        for (Serializable[] row : w.getRows()) {
          t.buffer().add(t.keys().keyOf(row, w.getIncludedColumns(), null), transactionStart);
        }
      }
    } else if (data instanceof UpdateRowsEventData u) {
      Tracked t = byId.get(u.getTableId());
      if (t != null) {
        for (Map.Entry<Serializable[], Serializable[]> row : u.getRows()) {
          RowKey before = t.keys().keyOf(row.getKey(), u.getIncludedColumnsBeforeUpdate(), null);
          t.buffer().add(before, transactionStart);
          t.buffer().add(t.keys().keyOf(row.getValue(), u.getIncludedColumns(), before), transactionStart);
        }
      }
    } else if (data instanceof DeleteRowsEventData d) {
      Tracked t = byId.get(d.getTableId());
      if (t != null) {
        for (Serializable[] row : d.getRows()) {
          t.buffer().add(t.keys().keyOf(row, d.getIncludedColumns(), null), transactionStart);
        }
      }
    } else if (data instanceof TransactionPayloadEventData payload) {
      handleCompressed(payload, transactionStart);
    } else if (data instanceof QueryEventData q) {
      String violation = guard.violation(q.getSql(), q.getDatabase());
      if (violation != null) {
        throw stop(violation);
      }
    } else if (data == OnlyTablesDeserializer.SKIPPED || INERT.contains(type)) {
      return;
    } else if (STATEMENT_LOAD.contains(type)) {
      throw stop("a LOAD DATA in statement format is in the binlog: its rows are not in the binlog, so spirit cannot"
          + " tell whether it changed " + tables() + ". A session wrote it with binlog_format=STATEMENT or"
          + " MIXED; run the migration again when every session writes binlog_format=ROW");
    } else {
      throw stop("the binlog holds an event spirit does not understand (" + type + (data == null ? "" : ": " + data)
          + "), so it cannot be sure " + tables() + " did not change (compressed events need"
          + " log_bin_compress=OFF on MariaDB; partial JSON updates need binlog_row_value_options='')");
    }
  }

  private void handleCompressed(TransactionPayloadEventData payload, BinlogPosition transactionStart)
      throws InterruptedException {
    try {
      EventDecoding.uncompressed(payload, byId.keySet(), inner -> handle(inner, transactionStart));
    } catch (IOException e) {
      throw new SpiritException(ErrorCode.BINLOG_FAILED, "could not read a compressed transaction in the binlog: "
          + e.getMessage(), e);
    }
  }

  /**
   * Learns a watched table's id, and checks the map against the definition read at the start: a different number of
   * columns means the table was altered without the ALTER reaching the binlog (sql_log_bin=0), and row images can no
   * longer be read by position.
   */
  private void onTableMap(TableMapEventData map) {
    Tracked named = map.getDatabase() == null || map.getTable() == null ? null
        : byName.get(nameKey(names, map.getDatabase(), map.getTable()));
    if (named == null) {
      byId.remove(map.getTableId());
      return;
    }
    TableInfo table = named.table();
    int logged = map.getColumnTypes().length;
    if (logged != table.columns().size()) {
      throw stop("rows of " + table.quotedName() + " in the binlog have " + logged + " columns, but the table had "
          + table.columns().size() + " when the run started: its definition was changed by a statement that never"
          + " reached the binlog (sql_log_bin=0)");
    }
    byId.put(map.getTableId(), named);
  }

  private static List<String> nameKey(NameCase names, String schema, String table) {
    return List.of(names.fold(schema), names.fold(table));
  }

  private String tables() {
    return tracked.stream().map(t -> t.table().quotedName()).collect(Collectors.joining(", "));
  }

  private SpiritException stop(String why) {
    return new SpiritException(ErrorCode.BINLOG_FAILED, why + "; the run stopped and " + tables()
        + (tracked.size() == 1 ? " is" : " are") + " unchanged.");
  }
}
