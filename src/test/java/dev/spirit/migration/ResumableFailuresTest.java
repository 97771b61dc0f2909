package dev.spirit.migration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spirit.error.ErrorCode;
import dev.spirit.error.SpiritException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import org.junit.jupiter.api.Test;

/** Which failures keep the shadow and checkpoint for a resume. */
class ResumableFailuresTest {

  @Test
  void aSentinelTimeoutALostConnectionAndALostBinlogStreamAreResumable() {
    assertThat(Resumption.resumable(new SpiritException(ErrorCode.TIMED_OUT, "timed out waiting for sentinel"),
        false)).isTrue();
    assertThat(Resumption.resumable(new SpiritException(ErrorCode.BINLOG_FAILED, "connection closed"), false))
        .isTrue();
    assertThat(Resumption.resumable(SpiritException.sql(ErrorCode.SQL_FAILED, "copying rows failed",
        new SQLNonTransientConnectionException("gone", "08S01"), null), false)).isTrue();
    assertThat(Resumption.resumable(new SQLException("lost", "HY000", 2013), false)).isTrue();
  }

  @Test
  void whatWouldFailAgainOrWasAskedForIsNot() {
    assertThat(Resumption.resumable(new SpiritException(ErrorCode.BINLOG_FAILED, "DDL seen"), true)).isFalse();
    assertThat(Resumption.resumable(new SpiritException(ErrorCode.INTERRUPTED, "interrupted"), false)).isFalse();
    assertThat(Resumption.resumable(new SpiritException(ErrorCode.UNSUPPORTED_STATEMENT, "refused"), false))
        .isFalse();
    assertThat(Resumption.resumable(new SpiritException(ErrorCode.DATA_LOSS_PREVENTED, "truncated"), false))
        .isFalse();
    assertThat(Resumption.resumable(new SpiritException(ErrorCode.CHECKPOINT_FAILED, "write failed"), false))
        .isFalse();
    assertThat(Resumption.resumable(new SQLException("syntax", "42000", 1064), false)).isFalse();
    assertThat(Resumption.resumable(new IllegalStateException("bug"), false)).isFalse();
    assertThat(Resumption.resumable(null, false)).isFalse();
  }
}
