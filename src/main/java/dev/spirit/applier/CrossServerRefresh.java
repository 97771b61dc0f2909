package dev.spirit.applier;

import dev.spirit.table.RowTransfer;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;

/**
 * A batch refreshed into a table on another server: the source's current rows for the keys read on the source's
 * session, then, in one transaction on the target, the keys deleted and those rows inserted. A key deleted on the
 * source reads as no row, so its row goes from the target too. A unique key refusing a row rolls the whole batch back
 * (1062), for the applier to retry once the row that holds the value has moved.
 */
public final class CrossServerRefresh implements KeyRefresh {
  private final DataSource targetPool;
  private final RowTransfer transfer;

  public CrossServerRefresh(DataSource targetPool, RowTransfer transfer) {
    this.targetPool = targetPool;
    this.transfer = transfer;
  }

  @Override
  public void refresh(Connection source, String condition) throws SQLException {
    List<RowTransfer.Row> rows = transfer.read(source, condition, RowTransfer.Binder.none());
    try (Connection t = targetPool.getConnection()) {
      transfer.replace(t, condition, RowTransfer.Binder.none(), rows);
    }
  }
}
