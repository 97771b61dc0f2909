package dev.spirit.binlog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spirit.db.BinlogPosition;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The oldest unapplied position: what a checkpoint may not pass. */
class ChangeBufferTest {
  private static final BinlogPosition P100 = new BinlogPosition("binlog.000001", 100, null);
  private static final BinlogPosition P200 = new BinlogPosition("binlog.000001", 200, null);
  private static final BinlogPosition P300 = new BinlogPosition("binlog.000001", 300, null);
  private static final BinlogPosition NEXT_FILE = new BinlogPosition("binlog.000002", 4, null);

  private static final Comparator<RowKey> SORTED = Comparator.comparingLong(k -> (Long) k.values().get(0));

  private static RowKey key(long id) {
    return new RowKey(List.of(id));
  }

  @Test
  void emptyHasNoOldestPosition() throws Exception {
    assertThat(new ChangeBuffer().oldestUnapplied()).isEmpty();
  }

  @Test
  void aKeyChangedAgainKeepsItsOldestPosition() throws Exception {
    ChangeBuffer b = new ChangeBuffer();
    b.add(key(1), P200);
    b.add(key(1), P300);
    b.add(key(2), P300);
    assertThat(b.oldestUnapplied()).contains(P200);
    assertThat(b.size()).isEqualTo(2);
    assertThat(b.received()).isEqualTo(3);
  }

  @Test
  void drainedKeysCountUntilCommitted() throws Exception {
    ChangeBuffer b = new ChangeBuffer();
    b.add(key(1), P100);
    b.add(key(2), P200);
    List<RowKey> drained = b.drain(1);
    assertThat(drained).containsExactly(key(1));
    assertThat(b.size()).isEqualTo(1);
    assertThat(b.inFlight()).isEqualTo(1);
    assertThat(b.oldestUnapplied()).as("in flight still holds the position back").contains(P100);
    b.committed(drained);
    assertThat(b.inFlight()).isZero();
    assertThat(b.oldestUnapplied()).contains(P200);
    b.committed(b.drain(Integer.MAX_VALUE));
    assertThat(b.oldestUnapplied()).isEmpty();
  }

  @Test
  void restoredKeysGoBackWithTheirPosition() throws Exception {
    ChangeBuffer b = new ChangeBuffer();
    b.add(key(1), P100);
    List<RowKey> drained = b.drain(Integer.MAX_VALUE);
    b.add(key(1), P300); // changed again while its refresh was in flight
    assertThat(b.oldestUnapplied()).contains(P100);
    b.restore(drained);
    assertThat(b.inFlight()).isZero();
    assertThat(b.size()).isEqualTo(1);
    assertThat(b.oldestUnapplied()).as("the earlier change is still not applied").contains(P100);
  }

  @Test
  void restoringWhatIsNoLongerInFlightChangesNothing() throws Exception {
    ChangeBuffer b = new ChangeBuffer();
    b.add(key(1), P100);
    b.add(key(2), P200);
    List<RowKey> drained = b.drain(Integer.MAX_VALUE);
    b.committed(List.of(key(1)));
    b.restore(drained); // a failed batch restores everything it had, including a committed part
    assertThat(b.size()).isEqualTo(1);
    assertThat(b.oldestUnapplied()).contains(P200);
    b.restore(drained);
    assertThat(b.size()).isEqualTo(1);
  }

  @Test
  void committingAKeyInFlightDoesNotForgetAPendingNewerChange() throws Exception {
    ChangeBuffer b = new ChangeBuffer();
    b.add(key(1), P100);
    List<RowKey> drained = b.drain(Integer.MAX_VALUE);
    b.add(key(1), P300);
    b.committed(drained);
    assertThat(b.oldestUnapplied()).contains(P300);
    assertThat(b.size()).isEqualTo(1);
  }

  @Test
  void keysAreTakenByBoundInKeyOrderWhenTheBufferIsSorted() throws Exception {
    ChangeBuffer b = new ChangeBuffer(SORTED, 100);
    for (long id : new long[] {50, 10, 30, 20, 40}) {
      b.add(key(id), P100);
    }
    assertThat(b.drainBelow(key(30), 100)).containsExactly(key(10), key(20));
    assertThat(b.drainFrom(key(40), 100)).containsExactly(key(40), key(50));
    assertThat(b.drain(100)).containsExactly(key(30));
  }

  @Test
  void aFullBufferHoldsTheReaderUntilKeysAreTaken() throws Exception {
    ChangeBuffer b = new ChangeBuffer(null, 2);
    b.add(key(1), P100);
    b.add(key(2), P100);
    b.add(key(1), P200); // a key already pending costs nothing
    CompletableFuture<Void> third = CompletableFuture.runAsync(() -> {
      try {
        b.add(key(3), P300);
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    Thread.sleep(200);
    assertThat(third).as("the third key waits for room").isNotDone();
    b.committed(b.drain(1));
    third.get(5, TimeUnit.SECONDS);
    assertThat(b.size()).isEqualTo(2);
    b.setUnbounded(true);
    b.add(key(4), P300);
    assertThat(b.size()).isEqualTo(3);
  }

  /**
   * Random adds, drains, restores and commits, each also done on a plain reference (two maps and full scans, the
   * buffer's first implementation): the sizes and the oldest position must always agree.
   */
  @Test
  void itAgreesWithAPlainReferenceUnderRandomOperations() throws Exception {
    Random random = new Random(7);
    ChangeBuffer b = new ChangeBuffer(SORTED, Integer.MAX_VALUE);
    Map<RowKey, BinlogPosition> pending = new HashMap<>();
    Map<RowKey, BinlogPosition> inFlight = new HashMap<>();
    List<List<RowKey>> flying = new ArrayList<>();
    for (int step = 0; step < 20_000; step++) {
      int op = random.nextInt(10);
      if (op < 5) {
        RowKey k = key(random.nextInt(200));
        BinlogPosition p = new BinlogPosition("binlog.00000" + (1 + random.nextInt(2)), 4 + random.nextInt(1000),
            null);
        b.add(k, p);
        pending.merge(k, p, ChangeBuffer::earlier);
      } else if (op < 7 && flying.size() < 3) {
        List<RowKey> taken = random.nextBoolean() ? b.drain(1 + random.nextInt(20))
            : b.drainBelow(key(random.nextInt(200)), 1 + random.nextInt(20));
        for (RowKey k : taken) {
          inFlight.merge(k, pending.remove(k), ChangeBuffer::earlier);
        }
        flying.add(taken);
      } else if (!flying.isEmpty()) {
        List<RowKey> batch = flying.remove(random.nextInt(flying.size()));
        if (op < 9) {
          b.restore(batch);
          for (RowKey k : batch) {
            BinlogPosition p = inFlight.remove(k);
            if (p != null) {
              pending.merge(k, p, ChangeBuffer::earlier);
            }
          }
        } else {
          b.committed(batch);
          batch.forEach(inFlight::remove);
        }
      }
      Optional<BinlogPosition> oldest = java.util.stream.Stream.concat(pending.values().stream(),
          inFlight.values().stream()).reduce(ChangeBuffer::earlier);
      assertThat(b.oldestUnapplied()).as("step %d", step).isEqualTo(oldest);
      assertThat(b.size()).as("step %d", step).isEqualTo(pending.size());
      assertThat(b.inFlight()).as("step %d", step).isEqualTo(inFlight.size());
    }
  }

  @Test
  void positionsCompareAcrossFiles() throws Exception {
    ChangeBuffer b = new ChangeBuffer();
    b.add(key(1), NEXT_FILE);
    b.add(key(2), new BinlogPosition("binlog.000001", 999_999, null));
    assertThat(b.oldestUnapplied()).contains(new BinlogPosition("binlog.000001", 999_999, null));
    assertThat(ChangeBuffer.earlier(NEXT_FILE, P300)).isEqualTo(P300);
  }
}
