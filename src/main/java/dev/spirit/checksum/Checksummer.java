package dev.spirit.checksum;

import dev.spirit.applier.ChangeDrain;
import dev.spirit.db.BackgroundPriority;
import dev.spirit.db.Database;
import dev.spirit.db.Workers;
import dev.spirit.error.ErrorCode;
import dev.spirit.error.SpiritException;
import dev.spirit.table.Chunk;
import dev.spirit.table.Chunker;
import dev.spirit.table.ColumnMapping;
import dev.spirit.table.TableInfo;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verifies that every new table holds exactly its source's rows, repairing ranges that differ, until one full pass
 * finds no difference in any table.
 *
 * <p>A pass locks every source briefly against writes ({@code LOCK TABLES source READ}, one session per table, all
 * held together, bounded by lock_wait_timeout), drains every pending change into the new tables, starts one
 * consistent-snapshot transaction per worker and unlocks. All snapshots therefore see every table at the same moment, when each pair
 * must be equal. Workers then compare each key range's row count and {@code BIT_XOR} of row hashes in their
 * snapshots while the application writes on, table after table. A range that differs is re-copied after the pass,
 * in a transaction, and the pass is repeated. Only a pass without differences counts.
 */
public final class Checksummer {
  private static final Logger LOG = LoggerFactory.getLogger(Checksummer.class);
  static final int MAX_PASSES = 3;

  private final List<ChecksumPair> pairs;
  private final SnapshotSource snapshots;
  private final int threads;
  private final AtomicLong rowsChecked = new AtomicLong();
  private final Set<String> duplicateKeys = new TreeSet<>();
  private long longestWriteHoldMillis;

  public Checksummer(List<ChecksumPair> pairs, SnapshotSource snapshots, int threads) {
    this.pairs = List.copyOf(pairs);
    this.snapshots = snapshots;
    this.threads = threads;
  }

  /** A checksum of one table and its new table on one server; see {@link SameServerPair} for the parameters. */
  public Checksummer(Database database, DataSource pool, TableInfo source, TableInfo target, ColumnMapping mapping,
      ChangeDrain drain, int threads, long chunkRows, BackgroundPriority priority) {
    this(List.of(new SameServerPair(pool, source, target, mapping, chunkRows, priority)),
        LockedSnapshots.sameServer(database, List.of(source), drain), threads);
  }

  /** Rows compared so far in the current pass, for progress. */
  public long rowsChecked() {
    return rowsChecked.get();
  }

  /** A range of one pair that differed. */
  private record Difference(ChecksumPair pair, Chunker chunker, Chunk chunk) {}

  public ChecksumResult run(BooleanSupplier cancelled) throws SQLException, InterruptedException {
    long repaired = 0;
    longestWriteHoldMillis = 0;
    List<Difference> lastDiffering = List.of();
    for (int pass = 1; pass <= MAX_PASSES; pass++) {
      rowsChecked.set(0);
      List<Chunker> chunkers = pairs.stream().map(ChecksumPair::chunker).toList();
      List<Difference> differing = comparePass(chunkers, cancelled);
      if (differing.isEmpty()) {
        long chunks = chunkers.stream().mapToLong(Chunker::chunksHandedOut).sum();
        return new ChecksumResult(rowsChecked.get(), chunks, repaired, pass, longestWriteHoldMillis);
      }
      LOG.warn("checksum pass {} found {} differing range(s) in {}; repairing them", pass, differing.size(),
          differing.stream().map(d -> d.pair().target().quotedName()).distinct().collect(Collectors.joining(", ")));
      lastDiffering = differing;
      for (Difference d : differing) {
        duplicateKeys.addAll(d.pair().repair(d.chunker(), d.chunk()));
        repaired++;
      }
    }
    String why = duplicateKeys.isEmpty()
        ? "the new table kept differing from the source after " + MAX_PASSES + " passes and repairs (last: "
            + lastDiffering.stream().limit(5).map(d -> d.pair().target().quotedName() + " " + d.chunk())
                .collect(Collectors.joining(", ")) + (lastDiffering.size() > 5 ? ", …" : "") + ")"
        : "the source has rows with duplicate values for the new unique key(s) " + duplicateKeys
            + "; make the values unique or drop UNIQUE from the ALTER";
    String sources = pairs.stream().map(p -> p.source().quotedName()).collect(Collectors.joining(", "));
    throw new SpiritException(ErrorCode.CHECKSUM_FAILED, "checksum of " + sources + " failed: " + why
        + ". Nothing was renamed; " + sources + (pairs.size() == 1 ? " is" : " are") + " unchanged.");
  }

  private List<Difference> comparePass(List<Chunker> chunkers, BooleanSupplier cancelled)
      throws SQLException, InterruptedException {
    SnapshotSource.Opened opened = snapshots.open(threads);
    longestWriteHoldMillis = Math.max(longestWriteHoldMillis, opened.writeHoldMillis());
    ExecutorService workers = Executors.newFixedThreadPool(threads, Workers.daemons("checksum-worker"));
    ConcurrentLinkedQueue<Difference> differing = new ConcurrentLinkedQueue<>();
    AtomicInteger current = new AtomicInteger(); // the pair whose ranges are handed out now
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (Snapshot snapshot : opened.snapshots()) {
        futures.add(workers.submit(() -> {
          for (int i = current.get(); i < pairs.size() && !cancelled.getAsBoolean(); i = current.get()) {
            Chunker chunker = chunkers.get(i);
            Chunk chunk = chunker.next();
            if (chunk == null) {
              current.compareAndSet(i, i + 1);
              continue;
            }
            if (!sameContent(snapshot, pairs.get(i), chunker, chunk)) {
              differing.add(new Difference(pairs.get(i), chunker, chunk));
            }
            chunker.completed(chunk, 0, Duration.ZERO);
          }
          return null;
        }));
      }
      for (Future<?> f : futures) {
        try {
          f.get();
        } catch (ExecutionException e) {
          if (e.getCause() instanceof SQLException sql) {
            throw sql;
          }
          if (e.getCause() instanceof SpiritException spirit) {
            throw spirit;
          }
          throw new SpiritException(ErrorCode.INTERNAL, "checksum worker failed: " + e.getCause(), e.getCause());
        }
      }
      if (cancelled.getAsBoolean()) {
        throw new SpiritException(ErrorCode.INTERRUPTED, "checksum interrupted");
      }
    } finally {
      Workers.stop(workers);
      opened.snapshots().forEach(Snapshot::close);
    }
    return new ArrayList<>(differing);
  }

  private boolean sameContent(Snapshot snapshot, ChecksumPair pair, Chunker chunker, Chunk chunk)
      throws SQLException {
    ChecksumPair.Sum a = pair.sourceSum(snapshot, chunker, chunk);
    ChecksumPair.Sum b = pair.targetSum(snapshot, chunker, chunk);
    rowsChecked.addAndGet(a.rows());
    return a.equals(b);
  }
}
