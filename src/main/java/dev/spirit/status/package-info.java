/**
 * What the operator sees while a run works: phases, progress with rate and ETA, and the time spent per phase.
 *
 * <p>Invariants: all of it goes to stderr; stdout stays free for requested output.
 */
package dev.spirit.status;
