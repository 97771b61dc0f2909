package dev.spirit.bench;

import dev.spirit.binlog.ChangeBuffer;
import dev.spirit.binlog.RowKey;
import dev.spirit.db.BinlogPosition;
import dev.spirit.table.KeyComparison;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * How much heap one pending key costs in the change buffer, for an integer key (a sorted buffer) and a 36-byte string
 * key (an arrival-ordered one), as a run holds them: one position object per transaction of ten keys. Run it with
 * {@code scripts/bench-memory.sh}, which also runs a real migration with two million changed string keys under
 * {@code -Xmx512m}; the figures are in docs/benchmarks.md.
 */
public final class ChangeBufferMemory {
  private ChangeBufferMemory() {}

  public static void main(String[] args) throws Exception {
    int keys = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    System.out.printf(Locale.ROOT, "integer keys: %.0f bytes per pending key%n", bytesPerKey(keys, true));
    System.out.printf(Locale.ROOT, "36-byte string keys: %.0f bytes per pending key%n", bytesPerKey(keys, false));
  }

  private static double bytesPerKey(int keys, boolean integer) throws InterruptedException {
    long before = usedAfterGc();
    ChangeBuffer buffer = integer
        ? new ChangeBuffer((a, b) -> KeyComparison.compareIntegerTuples(a.values(), b.values()), Integer.MAX_VALUE)
        : new ChangeBuffer(null, Integer.MAX_VALUE);
    BinlogPosition position = null;
    for (int i = 0; i < keys; i++) {
      if (i % 10 == 0) {
        position = new BinlogPosition("binlog.000042", 4 + i * 100L, null);
      }
      Object value = integer ? (Object) (long) i
          : new RowKey.Bytes(UUID.nameUUIDFromBytes(Integer.toString(i).getBytes(StandardCharsets.UTF_8))
              .toString().getBytes(StandardCharsets.UTF_8));
      buffer.add(new RowKey(List.of(value)), position);
    }
    long after = usedAfterGc();
    if (buffer.size() != keys) {
      throw new IllegalStateException("expected " + keys + " keys, have " + buffer.size());
    }
    return (after - before) / (double) keys;
  }

  private static long usedAfterGc() throws InterruptedException {
    Runtime rt = Runtime.getRuntime();
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(100);
    }
    return rt.totalMemory() - rt.freeMemory();
  }
}
