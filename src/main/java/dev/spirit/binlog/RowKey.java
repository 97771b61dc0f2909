package dev.spirit.binlog;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * The primary key of one changed row, as the binlog carried it: integers as {@code Long} or {@code BigInteger}
 * (unsigned values already corrected), strings and binary values as their stored bytes ({@link Bytes}), so that equal
 * keys are equal objects and the applier can render them exactly.
 */
public record RowKey(List<Object> values) {

  public RowKey {
    values = List.copyOf(values);
  }

  /** Bytes with value equality, for keys in hash sets. */
  public record Bytes(byte[] value) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Bytes b && Arrays.equals(value, b.value);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(value);
    }

    @Override
    public String toString() {
      return "0x" + HexFormat.of().formatHex(value);
    }
  }
}
