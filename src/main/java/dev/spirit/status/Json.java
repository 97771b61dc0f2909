package dev.spirit.status;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One JSON object, built field by field and printed on one line: enough for status lines, without a library on the
 * start-up path. Values are strings, numbers, booleans, null, nested objects and lists of them.
 */
public final class Json {
  private final Map<String, Object> fields = new LinkedHashMap<>();

  public static Json object() {
    return new Json();
  }

  /** Adds a field; a null value is written as {@code null}. */
  public Json put(String name, Object value) {
    if (!(value == null || value instanceof String || value instanceof Number || value instanceof Boolean
        || value instanceof Json || value instanceof List<?>)) {
      throw new IllegalArgumentException("not a JSON value: " + value.getClass().getName());
    }
    fields.put(name, value);
    return this;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    write(sb, this);
    return sb.toString();
  }

  private static void write(StringBuilder sb, Object value) {
    if (value == null) {
      sb.append("null");
    } else if (value instanceof String s) {
      quote(sb, s);
    } else if (value instanceof Double || value instanceof Float) {
      double d = ((Number) value).doubleValue();
      sb.append(Double.isFinite(d) ? String.format(Locale.ROOT, "%.3f", d) : "null");
    } else if (value instanceof Number || value instanceof Boolean) {
      sb.append(value);
    } else if (value instanceof Json j) {
      sb.append('{');
      String sep = "";
      for (Map.Entry<String, Object> e : j.fields.entrySet()) {
        sb.append(sep);
        quote(sb, e.getKey());
        sb.append(':');
        write(sb, e.getValue());
        sep = ",";
      }
      sb.append('}');
    } else {
      sb.append('[');
      String sep = "";
      for (Object item : new ArrayList<>((List<?>) value)) {
        sb.append(sep);
        write(sb, item);
        sep = ",";
      }
      sb.append(']');
    }
  }

  private static void quote(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) {
            sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }
}
