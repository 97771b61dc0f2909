package dev.spirit.db;

import java.util.Map;

/**
 * The server variables that decide whether the binary log can carry a migration's concurrent changes. Values are as
 * the server reports them; a variable the server does not have is {@code null}.
 */
public record BinlogSettings(Map<String, String> values) {
  public static final java.util.List<String> VARIABLES = java.util.List.of(
      "log_bin", "binlog_format", "binlog_row_image", "binlog_row_metadata", "binlog_row_value_options",
      "binlog_transaction_compression", "gtid_mode", "enforce_gtid_consistency", "log_slave_updates",
      "log_replica_updates", "server_id", "gtid_strict_mode", "log_bin_compress");

  public BinlogSettings {
    values = Map.copyOf(values);
  }

  public String get(String variable) {
    return values.get(variable);
  }

  public boolean logBinEnabled() {
    return isOn(get("log_bin"));
  }

  public String format() {
    return get("binlog_format");
  }

  public String rowImage() {
    return get("binlog_row_image");
  }

  public static boolean isOn(String value) {
    return value != null && (value.equalsIgnoreCase("ON") || value.equals("1"));
  }
}
