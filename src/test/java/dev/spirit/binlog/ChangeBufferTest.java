package dev.spirit.binlog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spirit.db.BinlogPosition;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The oldest unapplied position: what a checkpoint may not pass. */
class ChangeBufferTest {
  private static final BinlogPosition P100 = new BinlogPosition("binlog.000001", 100, null);
  private static final BinlogPosition P200 = new BinlogPosition("binlog.000001", 200, null);
  private static final BinlogPosition P300 = new BinlogPosition("binlog.000001", 300, null);
  private static final BinlogPosition NEXT_FILE = new BinlogPosition("binlog.000002", 4, null);

  private static RowKey key(long id) {
    return new RowKey(List.of(id));
  }

  @Test
  void emptyHasNoOldestPosition() {
    assertThat(new ChangeBuffer().oldestUnapplied()).isEmpty();
  }

  @Test
  void aKeyChangedAgainKeepsItsOldestPosition() {
    ChangeBuffer b = new ChangeBuffer();
    b.add(key(1), P200);
    b.add(key(1), P300);
    b.add(key(2), P300);
    assertThat(b.oldestUnapplied()).contains(P200);
    assertThat(b.size()).isEqualTo(2);
    assertThat(b.received()).isEqualTo(3);
  }

  @Test
  void drainedKeysCountUntilCommitted() {
    ChangeBuffer b = new ChangeBuffer();
    b.add(key(1), P100);
    b.add(key(2), P200);
    List<RowKey> drained = b.drain(k -> k.equals(key(1)));
    assertThat(drained).containsExactly(key(1));
    assertThat(b.size()).isEqualTo(1);
    assertThat(b.inFlight()).isEqualTo(1);
    assertThat(b.oldestUnapplied()).as("in flight still holds the position back").contains(P100);
    b.committed(drained);
    assertThat(b.inFlight()).isZero();
    assertThat(b.oldestUnapplied()).contains(P200);
    b.committed(b.drain(k -> true));
    assertThat(b.oldestUnapplied()).isEmpty();
  }

  @Test
  void restoredKeysGoBackWithTheirPosition() {
    ChangeBuffer b = new ChangeBuffer();
    b.add(key(1), P100);
    List<RowKey> drained = b.drain(k -> true);
    b.add(key(1), P300); // changed again while its refresh was in flight
    assertThat(b.oldestUnapplied()).contains(P100);
    b.restore(drained);
    assertThat(b.inFlight()).isZero();
    assertThat(b.size()).isEqualTo(1);
    assertThat(b.oldestUnapplied()).as("the earlier change is still not applied").contains(P100);
  }

  @Test
  void restoringWhatIsNoLongerInFlightChangesNothing() {
    ChangeBuffer b = new ChangeBuffer();
    b.add(key(1), P100);
    b.add(key(2), P200);
    List<RowKey> drained = b.drain(k -> true);
    b.committed(List.of(key(1)));
    b.restore(drained); // a failed batch restores everything it had, including a committed part
    assertThat(b.size()).isEqualTo(1);
    assertThat(b.oldestUnapplied()).contains(P200);
    b.restore(drained);
    assertThat(b.size()).isEqualTo(1);
  }

  @Test
  void committingAKeyInFlightDoesNotForgetAPendingNewerChange() {
    ChangeBuffer b = new ChangeBuffer();
    b.add(key(1), P100);
    List<RowKey> drained = b.drain(k -> true);
    b.add(key(1), P300);
    b.committed(drained);
    assertThat(b.oldestUnapplied()).contains(P300);
    assertThat(b.size()).isEqualTo(1);
  }

  @Test
  void discardedKeysNoLongerHoldThePositionBack() {
    ChangeBuffer b = new ChangeBuffer();
    b.add(key(1), P100);
    b.add(key(2), P200);
    assertThat(b.discard(k -> k.equals(key(1)))).isEqualTo(1);
    assertThat(b.oldestUnapplied()).contains(P200);
  }

  @Test
  void positionsCompareAcrossFiles() {
    ChangeBuffer b = new ChangeBuffer();
    b.add(key(1), NEXT_FILE);
    b.add(key(2), new BinlogPosition("binlog.000001", 999_999, null));
    assertThat(b.oldestUnapplied()).contains(new BinlogPosition("binlog.000001", 999_999, null));
    assertThat(ChangeBuffer.earlier(NEXT_FILE, P300)).isEqualTo(P300);
  }
}
