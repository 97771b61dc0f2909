package dev.spirit.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MariaDbReplicaLagTest {
  private static final long SECOND = 1_000_000_000L;

  private static MariaDbReplicaLag lag() {
    Database nowhere = new Database("jdbc:mysql://127.0.0.1:1/s", "u", "p", Duration.ofSeconds(1));
    return new MariaDbReplicaLag(nowhere, nowhere);
  }

  @Test
  void readsGtidPositionsPerDomain() {
    assertThat(MariaDbReplicaLag.parse("0-1-100,1-2-5")).isEqualTo(Map.of(0L, 100L, 1L, 5L));
    assertThat(MariaDbReplicaLag.parse("")).isEmpty();
    assertThat(MariaDbReplicaLag.parse(null)).isEmpty();
    assertThatThrownBy(() -> MariaDbReplicaLag.parse("0-1")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aReplicaHasReachedAPositionWhenEveryDomainIsThere() {
    assertThat(MariaDbReplicaLag.reached(Map.of(0L, 100L), Map.of(0L, 100L))).isTrue();
    assertThat(MariaDbReplicaLag.reached(Map.of(0L, 101L), Map.of(0L, 100L))).isTrue();
    assertThat(MariaDbReplicaLag.reached(Map.of(0L, 99L), Map.of(0L, 100L))).isFalse();
    assertThat(MariaDbReplicaLag.reached(Map.of(0L, 100L), Map.of(0L, 100L, 1L, 1L))).as("a domain missing")
        .isFalse();
    assertThat(MariaDbReplicaLag.reached(Map.of(0L, 5L), Map.of())).as("an empty primary").isTrue();
  }

  @Test
  void aReplicaThatHasAppliedTheNewestPositionIsNotBehind() {
    MariaDbReplicaLag lag = lag();
    lag.record(0, "0-1-10");
    lag.record(SECOND, "0-1-20");
    assertThat(lag.lagMillis(Map.of(0L, 20L), SECOND)).isZero();
  }

  @Test
  void theLagIsTheAgeOfTheNewestPositionReachedWhenALaterOneIsNot() {
    MariaDbReplicaLag lag = lag();
    lag.record(0, "0-1-10");
    lag.record(SECOND, "0-1-20");
    lag.record(2 * SECOND, "0-1-30");
    lag.record(3 * SECOND, "0-1-40");
    // applied 25: everything committed by 1 s is there, something committed after it is not
    assertThat(lag.lagMillis(Map.of(0L, 25L), 3 * SECOND)).isEqualTo(2000);
    // stuck there, the lag grows with the clock
    lag.record(13 * SECOND, "0-1-50");
    assertThat(lag.lagMillis(Map.of(0L, 25L), 13 * SECOND)).isEqualTo(12_000);
    // caught up
    lag.record(14 * SECOND, "0-1-50");
    assertThat(lag.lagMillis(Map.of(0L, 50L), 14 * SECOND)).isZero();
  }

  @Test
  void aReplicaBehindEveryKeptPositionIsAtLeastAsFarBehindAsTheOldest() {
    MariaDbReplicaLag lag = lag();
    lag.record(5 * SECOND, "0-1-100");
    lag.record(9 * SECOND, "0-1-120");
    assertThat(lag.lagMillis(Map.of(0L, 3L), 9 * SECOND)).isEqualTo(4000);
  }
}
