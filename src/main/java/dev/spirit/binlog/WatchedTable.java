package dev.spirit.binlog;

import dev.spirit.table.TableInfo;

/**
 * A table whose changed keys a subscription records, and the buffer they go to. A run of several tables has one
 * subscription with one watched table each.
 */
public record WatchedTable(TableInfo table, ChangeBuffer buffer) {}
