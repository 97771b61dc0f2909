package dev.spirit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ConfArgumentScannerTest {
  @Test
  void findsTheSeparateAndTheAttachedForm() {
    assertThat(ConfArgumentScanner.find("migrate", "--conf", "a.cnf", "--threads", "2")).hasValue("a.cnf");
    assertThat(ConfArgumentScanner.find("migrate", "--conf=b.cnf")).hasValue("b.cnf");
    assertThat(ConfArgumentScanner.find("migrate", "--conf=")).hasValue("");
  }

  @Test
  void ignoresLookalikesAndWhatFollowsTheEndOfOptions() {
    assertThat(ConfArgumentScanner.find("migrate", "--config", "x")).isEmpty();
    assertThat(ConfArgumentScanner.find("migrate", "--statement", "--conf x")).isEmpty();
    assertThat(ConfArgumentScanner.find("migrate", "--", "--conf", "x")).isEmpty();
    assertThat(ConfArgumentScanner.find("migrate", "--conf")).isEmpty();
  }
}
