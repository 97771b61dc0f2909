package dev.spirit.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MariaDbGtidPositionTest {

  @Test
  void aCommitReplacesItsDomainsLastTransactionOnly() {
    MariaDbGtidPosition p = MariaDbGtidPosition.parse("0-1-100,2-7-5");
    assertThat(p.with(0, 1, 101)).hasToString("0-1-101,2-7-5");
    assertThat(p.with(1, 3, 1)).hasToString("0-1-100,1-3-1,2-7-5");
    assertThat(p).as("immutable").hasToString("0-1-100,2-7-5");
  }

  @Test
  void recognisesTheFormatAndRefusesAnotherOne() {
    assertThat(MariaDbGtidPosition.isMariaDb("0-1-100")).isTrue();
    assertThat(MariaDbGtidPosition.isMariaDb("0-1-100, 1-2-3")).isTrue();
    assertThat(MariaDbGtidPosition.isMariaDb("3E11FA47-71CA-11E1-9E33-C80AA9429562:1-5")).isFalse();
    assertThatThrownBy(() -> MariaDbGtidPosition.parse("0-1")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aPositionCoversAnotherWhereEveryDomainIsAtLeastAsFar() {
    MariaDbGtidPosition at = MariaDbGtidPosition.parse("0-1-100,2-7-5");
    assertThat(at.covers(MariaDbGtidPosition.parse("0-2-99"))).as("by sequence, whatever the server").isTrue();
    assertThat(at.covers(MariaDbGtidPosition.parse("0-1-100,2-7-5"))).isTrue();
    assertThat(at.covers(MariaDbGtidPosition.parse("0-1-101"))).isFalse();
    assertThat(at.covers(MariaDbGtidPosition.parse("1-1-1"))).as("a domain it has not seen").isFalse();
    assertThat(at.covers(MariaDbGtidPosition.parse(""))).as("nothing yet").isTrue();
  }
}
