package dev.spirit.checksum;

/**
 * What the checksum established: how many rows and chunks it compared in its last, clean pass, and how many chunks
 * it had to repair on the way; and the longest time any pass held the application's writes to start its snapshots.
 */
public record ChecksumResult(long rowsChecked, long chunksChecked, long chunksRepaired, int passes,
    long longestWriteHoldMillis) {}
