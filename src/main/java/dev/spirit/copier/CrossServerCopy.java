package dev.spirit.copier;

import dev.spirit.db.Retry;
import dev.spirit.error.SpiritException;
import dev.spirit.table.Chunk;
import dev.spirit.table.Chunker;
import dev.spirit.table.RowTransfer;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import javax.sql.DataSource;

/**
 * A range copied between two servers: its rows read from the source in one statement (under READ COMMITTED a
 * consistent read, which takes no row locks), then written to the target in multi-row {@code INSERT IGNORE} batches
 * by the shared write workers. The range is complete only once every batch is in, so the change applier, which waits
 * for a range to complete before it refreshes the range's keys, never has its refresh overwritten by an older row.
 * IGNORE keeps the rows the applier wrote first. The range's rows are the only ones held in memory, so memory is
 * bounded by the chunk size times the readers.
 */
public final class CrossServerCopy implements RangeCopy {
  private final DataSource sourcePool;
  private final DataSource targetPool;
  private final Chunker chunker;
  private final RowTransfer transfer;
  private final ExecutorService writers;
  private final long estimatedRows;

  /** @param writers the write workers, shared by every table of the run ({@code --write-threads}) */
  public CrossServerCopy(DataSource sourcePool, DataSource targetPool, Chunker chunker, RowTransfer transfer,
      ExecutorService writers) {
    this.sourcePool = sourcePool;
    this.targetPool = targetPool;
    this.chunker = chunker;
    this.transfer = transfer;
    this.writers = writers;
    this.estimatedRows = chunker.table().estimatedRows();
  }

  @Override
  public Chunker chunker() {
    return chunker;
  }

  @Override
  public long estimatedRows() {
    return estimatedRows;
  }

  /** The target has the source's definition: a duplicate of a unique key fails the write instead. */
  @Override
  public Set<String> duplicateKeys() {
    return Set.of();
  }

  @Override
  public long copy(Chunk chunk) throws SQLException {
    String condition = chunk.condition(chunker.key());
    List<RowTransfer.Row> rows;
    try (Connection c = sourcePool.getConnection()) {
      rows = transfer.read(c, condition, ps -> chunk.bind(ps, 1));
    }
    List<Future<Integer>> batches = new ArrayList<>();
    for (List<RowTransfer.Row> batch : RowTransfer.batches(rows)) {
      batches.add(writers.submit(() -> Retry.onLockConflict("writing " + chunk + " of "
          + transfer.target().quotedName(), () -> {
            try (Connection t = targetPool.getConnection()) {
              return transfer.write(t, batch, true);
            }
          })));
    }
    SpiritException first = null;
    for (Future<Integer> f : batches) {
      try {
        f.get();
      } catch (ExecutionException e) {
        if (first == null) {
          first = SpiritException.of(e.getCause(), "writing " + chunk + " of " + transfer.target().quotedName());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SQLException("interrupted while writing " + chunk, e);
      }
    }
    if (first != null) {
      throw first;
    }
    return rows.size();
  }
}
