package dev.spirit.binlog;

import com.github.luben.zstd.ZstdInputStream;
import com.github.shyiko.mysql.binlog.event.Event;
import com.github.shyiko.mysql.binlog.event.EventType;
import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.TransactionPayloadEventData;
import com.github.shyiko.mysql.binlog.event.deserialization.ColumnType;
import com.github.shyiko.mysql.binlog.event.deserialization.DeleteRowsEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.EventHeaderV4Deserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.NullEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.UpdateRowsEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.WriteRowsEventDataDeserializer;
import com.github.shyiko.mysql.binlog.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The binlog library's event deserializer, set up the one way the tool reads events: rows events decode their values
 * through {@link ExactCells}; strings and binaries stay bytes; rows events of tables not asked for are skipped
 * undecoded; and a compressed transaction payload is kept compressed until {@link #uncompressed} decodes it with the
 * same rules (the library's own payload decoding would use its lossy defaults).
 */
final class EventDecoding {
  private static final int TABLE_MAPS_KEPT = 10_000;

  private EventDecoding() {}

  /** @param onlyTables the ids of the tables whose rows are decoded; null for every table */
  static EventDeserializer deserializer(Set<Long> onlyTables) {
    EventDeserializer defaults = new EventDeserializer();
    Map<EventType, EventDataDeserializer> byType = new IdentityHashMap<>();
    for (EventType type : EventType.values()) {
      byType.put(type, defaults.getEventDataDeserializer(type));
    }
    Map<Long, TableMapEventData> maps = new LinkedHashMap<>(128, 0.75f, true) {
      private static final long serialVersionUID = 1L;

      @Override
      protected boolean removeEldestEntry(Map.Entry<Long, TableMapEventData> eldest) {
        return size() > TABLE_MAPS_KEPT;
      }
    };
    byType.put(EventType.WRITE_ROWS, new Write(maps));
    byType.put(EventType.EXT_WRITE_ROWS, new Write(maps).setMayContainExtraInformation(true));
    byType.put(EventType.UPDATE_ROWS, new Update(maps));
    byType.put(EventType.EXT_UPDATE_ROWS, new Update(maps).setMayContainExtraInformation(true));
    byType.put(EventType.DELETE_ROWS, new Delete(maps));
    byType.put(EventType.EXT_DELETE_ROWS, new Delete(maps).setMayContainExtraInformation(true));
    byType.put(EventType.TRANSACTION_PAYLOAD, new CompressedPayload());
    EventDeserializer d = new EventDeserializer(new EventHeaderV4Deserializer(), new NullEventDataDeserializer(),
        byType, maps);
    d.setCompatibilityMode(EventDeserializer.CompatibilityMode.CHAR_AND_BINARY_AS_BYTE_ARRAY);
    if (onlyTables != null) {
      for (EventType type : List.of(EventType.WRITE_ROWS, EventType.EXT_WRITE_ROWS, EventType.UPDATE_ROWS,
          EventType.EXT_UPDATE_ROWS, EventType.DELETE_ROWS, EventType.EXT_DELETE_ROWS)) {
        d.setEventDataDeserializer(type, new OnlyTablesDeserializer<>(d.getEventDataDeserializer(type), onlyTables));
      }
    }
    return d;
  }

  /** Handles one event of a compressed transaction. */
  interface InnerEvents {
    void handle(Event event) throws InterruptedException;
  }

  /**
   * Decodes the events inside a compressed transaction as {@link #deserializer} decodes them, handing each to
   * {@code handler} before the next is read: the transaction's table maps are handled (so {@code onlyTables} learns
   * their ids) before its rows events are decoded, and the rows of other tables are skipped undecoded.
   */
  static void uncompressed(TransactionPayloadEventData payload, Set<Long> onlyTables, InnerEvents handler)
      throws IOException, InterruptedException {
    EventDeserializer inner = deserializer(onlyTables);
    try (ZstdInputStream zstd = new ZstdInputStream(new java.io.ByteArrayInputStream(payload.getPayload()))) {
      ByteArrayInputStream in = new ByteArrayInputStream(zstd);
      for (Event e = inner.nextEvent(in); e != null; e = inner.nextEvent(in)) {
        handler.handle(e);
      }
    }
  }

  private static final class Write extends WriteRowsEventDataDeserializer {
    Write(Map<Long, TableMapEventData> maps) {
      super(maps);
    }

    @Override
    protected Serializable deserializeCell(ColumnType type, int meta, int length, ByteArrayInputStream in)
        throws IOException {
      return ExactCells.readOr(type, meta, length, in, super::deserializeCell);
    }
  }

  private static final class Update extends UpdateRowsEventDataDeserializer {
    Update(Map<Long, TableMapEventData> maps) {
      super(maps);
    }

    @Override
    protected Serializable deserializeCell(ColumnType type, int meta, int length, ByteArrayInputStream in)
        throws IOException {
      return ExactCells.readOr(type, meta, length, in, super::deserializeCell);
    }
  }

  private static final class Delete extends DeleteRowsEventDataDeserializer {
    Delete(Map<Long, TableMapEventData> maps) {
      super(maps);
    }

    @Override
    protected Serializable deserializeCell(ColumnType type, int meta, int length, ByteArrayInputStream in)
        throws IOException {
      return ExactCells.readOr(type, meta, length, in, super::deserializeCell);
    }
  }

  /**
   * MySQL's TRANSACTION_PAYLOAD: header fields (type, length, value; 0 ends them), then the compressed events. Only
   * the header is read here; the events are left compressed for {@link #uncompressed}.
   */
  private static final class CompressedPayload implements EventDataDeserializer<TransactionPayloadEventData> {
    private static final int END = 0;
    private static final int SIZE = 1;
    private static final int COMPRESSION = 2;
    private static final int UNCOMPRESSED_SIZE = 3;
    private static final int ZSTD = 0;

    @Override
    public TransactionPayloadEventData deserialize(ByteArrayInputStream in) throws IOException {
      TransactionPayloadEventData data = new TransactionPayloadEventData();
      data.setCompressionType(ZSTD);
      while (in.available() > 0) {
        int field = in.readPackedInteger();
        if (field == END) {
          break;
        }
        int length = in.readPackedInteger();
        switch (field) {
          case SIZE -> data.setPayloadSize(in.readPackedInteger());
          case COMPRESSION -> data.setCompressionType(in.readPackedInteger());
          case UNCOMPRESSED_SIZE -> data.setUncompressedSize(in.readPackedLong());
          default -> in.read(length);
        }
      }
      if (data.getCompressionType() != ZSTD) {
        throw new IOException("a transaction payload compressed with algorithm " + data.getCompressionType()
            + ", which spirit cannot read (only zstd)");
      }
      data.setPayload(in.read(data.getPayloadSize()));
      data.setUncompressedEvents(new ArrayList<>()); // decoded on demand by uncompressed()
      return data;
    }
  }
}
