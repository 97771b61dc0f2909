/**
 * What the operator and automation see while a run works: phases, progress with rate and ETA, and the time spent
 * per phase ({@link dev.spirit.status.ProgressReporter}); the same as JSON lines with {@code --status-format json}
 * ({@link dev.spirit.status.StatusStream}, written with {@link dev.spirit.status.Json}; docs/status.md), and as
 * Prometheus metrics with {@code --metrics-listen} ({@link dev.spirit.status.MetricsEndpoint}).
 *
 * <p>Invariants: human lines go to stderr; stdout carries only requested output, and with JSON status every line of
 * it is one JSON object of the documented schema version, the result last and exactly once; the metrics endpoint
 * reads the run's figures at each scrape and never blocks the run, and it listens only while the run does.
 */
package dev.spirit.status;
