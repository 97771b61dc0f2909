package dev.spirit.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spirit.error.ErrorCode;
import dev.spirit.error.SpiritException;
import dev.spirit.table.NameCase;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The tables of one run must be distinct as the server compares names, and none another's helper table. */
class TablesOfOneRunTest {

  @Test
  void tablesThatDifferOnlyInCaseAreOneTableWhereTheServerFoldsNames() {
    assertThatCode(() -> Preflight.checkTablesOfOneRun(List.of("orders", "Orders"), NameCase.SENSITIVE))
        .doesNotThrowAnyException();
    assertThatThrownBy(() -> Preflight.checkTablesOfOneRun(List.of("orders", "Orders"), NameCase.INSENSITIVE))
        .isInstanceOf(SpiritException.class).hasMessageContaining("the server takes them for the same table")
        .satisfies(e -> assertThat(((SpiritException) e).code()).isEqualTo(ErrorCode.UNSUPPORTED_STATEMENT));
  }

  @Test
  void aTableThatIsAnotherTablesHelperIsRefused() {
    for (String helper : List.of("_orders_new", "_orders_old", "_orders_chkpnt")) {
      assertThatThrownBy(() -> Preflight.checkTablesOfOneRun(List.of("orders", helper), NameCase.SENSITIVE))
          .as(helper).isInstanceOf(SpiritException.class)
          .hasMessageContaining("names a helper table of `orders` `" + helper + "`, which is the other table");
    }
    assertThatCode(() -> Preflight.checkTablesOfOneRun(List.of("orders", "orders_new", "items"), NameCase.SENSITIVE))
        .doesNotThrowAnyException();
  }

  @Test
  void oneTableIsNeverRefusedHere() {
    assertThatCode(() -> Preflight.checkTablesOfOneRun(List.of("_x_new"), NameCase.INSENSITIVE))
        .doesNotThrowAnyException();
  }
}
