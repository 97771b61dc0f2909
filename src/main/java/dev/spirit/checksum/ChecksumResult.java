package dev.spirit.checksum;

/**
 * What the checksum established: how many rows and chunks it compared in its last, clean pass, and how many chunks
 * it had to repair on the way.
 */
public record ChecksumResult(long rowsChecked, long chunksChecked, long chunksRepaired, int passes) {}
