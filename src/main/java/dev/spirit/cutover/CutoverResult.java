package dev.spirit.cutover;

/**
 * How a cutover ended.
 *
 * @param lockedMillis how long the source was locked against writes; -1 when the session was lost after the swap
 * @param oldTable the name the old table has now: the plan's old name, or the parking name when renaming it failed
 */
public record CutoverResult(long lockedMillis, String oldTable) {}
