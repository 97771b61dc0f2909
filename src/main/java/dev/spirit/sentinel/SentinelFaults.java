package dev.spirit.sentinel;

/**
 * Test-only fault points in the gate, so that races with an operator's DROP are exercised deterministically. Every
 * method is a no-op in production.
 */
public interface SentinelFaults {
  SentinelFaults NONE = new SentinelFaults() { };

  /** Between the probe that found the sentinel at the wait point and the write that marks this run ready. */
  default void beforeReadyWrite() { }

  /** Before each poll of the sentinel while waiting; may throw to simulate a failing probe. */
  default void beforePoll() { }
}
