package dev.spirit.config;

import java.util.Objects;

/**
 * How hard the row copy works. The thread limits are upstream's preflight limits; upstream silently replaces a zero
 * write-thread count with the default, we refuse it instead.
 */
public record CopySettings(int threads, int writeThreads, ByteSize targetChunkSize) {
  public static final int MAX_THREADS = 64;

  public CopySettings {
    OptionChecks.between(OptionNames.THREADS, threads, 1, MAX_THREADS);
    OptionChecks.between(OptionNames.WRITE_THREADS, writeThreads, 1, MAX_THREADS);
    Objects.requireNonNull(targetChunkSize, "targetChunkSize");
    if (targetChunkSize.bytes() <= 0) {
      throw new InvalidOptionException(
          OptionNames.TARGET_CHUNK_SIZE + ": must be greater than 0 bytes, got " + targetChunkSize,
          OptionNames.TARGET_CHUNK_SIZE);
    }
  }
}
