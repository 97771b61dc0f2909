package dev.spirit.db;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MySqlReplicaLagTest {
  @Test
  void aThreadIsRunningOnlyWhenEveryChannelIsOn() {
    assertThat(MySqlReplicaLag.allOn("ON")).isTrue();
    assertThat(MySqlReplicaLag.allOn("ON,ON")).isTrue();
    assertThat(MySqlReplicaLag.allOn("CONNECTING")).as("a receiver still connecting").isFalse();
    assertThat(MySqlReplicaLag.allOn("ON,OFF")).isFalse();
  }

  @Test
  void replicaThreadsAreRunningOnlyWhenBothSayYes() {
    assertThat(new ReplicaThreads("Yes", "Yes", "").running()).isTrue();
    assertThat(new ReplicaThreads("Connecting", "Yes", "").running()).isFalse();
    assertThat(new ReplicaThreads("Yes", "No", "Error 1062").describe())
        .isEqualTo("IO thread Yes, SQL thread No (last error: Error 1062)");
  }
}
