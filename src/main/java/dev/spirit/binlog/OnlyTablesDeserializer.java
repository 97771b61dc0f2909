package dev.spirit.binlog;

import com.github.shyiko.mysql.binlog.event.EventData;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDataDeserializer;
import com.github.shyiko.mysql.binlog.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Set;

/**
 * Decodes a rows event only when it belongs to one of the given tables; for any other table it reads the table id
 * and returns an empty marker, and the client skips the rest of the event undecoded.
 */
final class OnlyTablesDeserializer<T extends EventData> implements EventDataDeserializer<EventData> {
  /** A rows event of a table nobody asked for. */
  static final EventData SKIPPED = new EventData() {
    private static final long serialVersionUID = 1L;

    @Override
    public String toString() {
      return "SkippedRowsEventData";
    }
  };

  private final EventDataDeserializer<T> delegate;
  private final Set<Long> tableIds;

  OnlyTablesDeserializer(EventDataDeserializer<T> delegate, Set<Long> tableIds) {
    this.delegate = delegate;
    this.tableIds = tableIds;
  }

  @Override
  public EventData deserialize(ByteArrayInputStream input) throws IOException {
    // The stream cannot rewind, so a wanted event is re-assembled from the id just read and the rest of its block.
    byte[] id = input.read(6);
    long tableId = 0;
    for (int i = 5; i >= 0; i--) {
      tableId = (tableId << 8) | (id[i] & 0xFF);
    }
    if (!tableIds.contains(tableId)) {
      return SKIPPED;
    }
    byte[] rest = input.read(input.available());
    byte[] whole = new byte[id.length + rest.length];
    System.arraycopy(id, 0, whole, 0, id.length);
    System.arraycopy(rest, 0, whole, id.length, rest.length);
    return delegate.deserialize(new ByteArrayInputStream(whole));
  }
}
