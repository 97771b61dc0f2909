package dev.spirit.db;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SqlWarningTest {
  @Test
  void aTruncationNamesItsColumnAndRow() {
    assertThat(new SqlWarning("Warning", 1265, "Data truncated for column 'e' at row 27").truncation())
        .isEqualTo(new SqlWarning.Truncation("e", 27));
    assertThat(new SqlWarning("Warning", 1265, "Data truncated for column 'odd name' at row 1").truncation())
        .isEqualTo(new SqlWarning.Truncation("odd name", 1));
  }

  @Test
  void otherWarningsAreNoTruncation() {
    assertThat(new SqlWarning("Warning", 1264, "Out of range value for column 'i' at row 1").truncation()).isNull();
    assertThat(new SqlWarning("Warning", 1265, "Data truncated").truncation()).isNull();
  }
}
