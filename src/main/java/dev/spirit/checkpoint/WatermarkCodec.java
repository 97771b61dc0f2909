package dev.spirit.checkpoint;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * A copier watermark (a key tuple as the driver returned it) to JSON text and back, exactly: the same Java type and
 * the same value, so the resumed chunker binds the same parameters the interrupted one would have. Each value is
 * {@code {"type":…,"value":…}} with the value always a JSON string (no floating-point parsing can round a big
 * integer or a decimal); the text is pure ASCII, so no connection character set can alter it.
 */
public final class WatermarkCodec {
  private WatermarkCodec() {}

  public static String encode(List<Object> key) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < key.size(); i++) {
      Object v = key.get(i);
      String[] typed = typed(v);
      sb.append(i == 0 ? "" : ",").append("{\"type\":");
      quote(sb, typed[0]);
      sb.append(",\"value\":");
      quote(sb, typed[1]);
      sb.append('}');
    }
    return sb.append(']').toString();
  }

  private static String[] typed(Object v) {
    if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
      return new String[] {v.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT), v.toString()};
    }
    if (v instanceof Long l) {
      return new String[] {"long", l.toString()};
    }
    if (v instanceof BigInteger b) {
      return new String[] {"biginteger", b.toString()};
    }
    if (v instanceof BigDecimal d) {
      return new String[] {"decimal", d.toString()}; // keeps the scale: 1.50 stays 1.50
    }
    if (v instanceof Boolean b) {
      return new String[] {"boolean", b.toString()};
    }
    if (v instanceof Double d) {
      return new String[] {"double", Double.toString(d)};
    }
    if (v instanceof Float f) {
      return new String[] {"float", Float.toString(f)};
    }
    if (v instanceof String s) {
      return new String[] {"string", s};
    }
    if (v instanceof byte[] b) {
      return new String[] {"bytes", HexFormat.of().formatHex(b)};
    }
    if (v instanceof java.sql.Timestamp t) {
      return new String[] {"timestamp", t.toLocalDateTime().toString()};
    }
    if (v instanceof java.sql.Date d) {
      return new String[] {"date", d.toLocalDate().toString()};
    }
    if (v instanceof java.sql.Time t) {
      return new String[] {"time", Long.toString(t.getTime())};
    }
    if (v instanceof LocalDateTime t) {
      return new String[] {"localdatetime", t.toString()};
    }
    if (v instanceof LocalDate d) {
      return new String[] {"localdate", d.toString()};
    }
    if (v instanceof LocalTime t) {
      return new String[] {"localtime", t.toString()};
    }
    throw new IllegalArgumentException("a key value of type " + (v == null ? "null" : v.getClass().getName())
        + " cannot be stored in a checkpoint");
  }

  /** @throws IllegalArgumentException when the text is not a watermark this codec wrote */
  public static List<Object> decode(String json) {
    Parser p = new Parser(json);
    List<Object> out = new ArrayList<>();
    p.expect('[');
    if (!p.tryConsume(']')) {
      do {
        p.expect('{');
        String type = null;
        String value = null;
        do {
          String name = p.string();
          p.expect(':');
          String text = p.string();
          if (name.equals("type")) {
            type = text;
          } else if (name.equals("value")) {
            value = text;
          } else {
            throw new IllegalArgumentException("unknown field " + name + " in a watermark");
          }
        } while (p.tryConsume(','));
        p.expect('}');
        if (type == null || value == null) {
          throw new IllegalArgumentException("a watermark value without type or value: " + json);
        }
        out.add(value(type, value));
      } while (p.tryConsume(','));
      p.expect(']');
    }
    p.end();
    if (out.isEmpty()) {
      throw new IllegalArgumentException("an empty watermark");
    }
    return out;
  }

  private static Object value(String type, String v) {
    try {
      return switch (type) {
        case "integer" -> Integer.valueOf(v);
        case "short" -> Short.valueOf(v);
        case "byte" -> Byte.valueOf(v);
        case "long" -> Long.valueOf(v);
        case "biginteger" -> new BigInteger(v);
        case "decimal" -> new BigDecimal(v);
        case "boolean" -> Boolean.valueOf(v);
        case "double" -> Double.valueOf(v);
        case "float" -> Float.valueOf(v);
        case "string" -> v;
        case "bytes" -> HexFormat.of().parseHex(v);
        case "timestamp" -> java.sql.Timestamp.valueOf(LocalDateTime.parse(v));
        case "date" -> java.sql.Date.valueOf(LocalDate.parse(v));
        case "time" -> new java.sql.Time(Long.parseLong(v));
        case "localdatetime" -> LocalDateTime.parse(v);
        case "localdate" -> LocalDate.parse(v);
        case "localtime" -> LocalTime.parse(v);
        default -> throw new IllegalArgumentException("unknown watermark value type " + type);
      };
    } catch (RuntimeException e) {
      throw e instanceof IllegalArgumentException i && i.getMessage() != null && i.getMessage().startsWith("unknown")
          ? i : new IllegalArgumentException("unreadable " + type + " in a watermark: " + v, e);
    }
  }

  private static void quote(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        sb.append('\\').append(c);
      } else if (c < 0x20 || c > 0x7e) {
        sb.append(String.format("\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    sb.append('"');
  }

  /** Just enough JSON for arrays of objects of string fields. */
  private static final class Parser {
    private final String s;
    private int i;

    Parser(String s) {
      if (s == null) {
        throw new IllegalArgumentException("no watermark");
      }
      this.s = s;
    }

    private void skipSpace() {
      while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
        i++;
      }
    }

    void expect(char c) {
      if (!tryConsume(c)) {
        throw new IllegalArgumentException("expected '" + c + "' at " + i + " in watermark " + s);
      }
    }

    boolean tryConsume(char c) {
      skipSpace();
      if (i < s.length() && s.charAt(i) == c) {
        i++;
        return true;
      }
      return false;
    }

    void end() {
      skipSpace();
      if (i != s.length()) {
        throw new IllegalArgumentException("trailing text at " + i + " in watermark " + s);
      }
    }

    String string() {
      expect('"');
      StringBuilder sb = new StringBuilder();
      while (true) {
        if (i >= s.length()) {
          throw new IllegalArgumentException("unterminated string in watermark " + s);
        }
        char c = s.charAt(i++);
        if (c == '"') {
          return sb.toString();
        }
        if (c != '\\') {
          sb.append(c);
          continue;
        }
        if (i >= s.length()) {
          throw new IllegalArgumentException("unterminated escape in watermark " + s);
        }
        char e = s.charAt(i++);
        switch (e) {
          case '"', '\\', '/' -> sb.append(e);
          case 'b' -> sb.append('\b');
          case 'f' -> sb.append('\f');
          case 'n' -> sb.append('\n');
          case 'r' -> sb.append('\r');
          case 't' -> sb.append('\t');
          case 'u' -> {
            if (i + 4 > s.length()) {
              throw new IllegalArgumentException("short \\u escape in watermark " + s);
            }
            sb.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
            i += 4;
          }
          default -> throw new IllegalArgumentException("bad escape \\" + e + " in watermark " + s);
        }
      }
    }
  }
}
