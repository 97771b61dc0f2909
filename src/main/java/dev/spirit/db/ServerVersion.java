package dev.spirit.db;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A server's version as {@code SELECT VERSION()} reports it. Never the handshake's: MariaDB sends
 * {@code 5.5.5-10.11.x} on the wire for old clients' sake, and proxies rewrite it.
 */
public record ServerVersion(String raw, int major, int minor, int patch, boolean mariaDb) {
  private static final Pattern NUMBERS = Pattern.compile("^(\\d+)\\.(\\d+)(?:\\.(\\d+))?");

  public static ServerVersion parse(String raw) {
    Matcher m = NUMBERS.matcher(raw.trim());
    if (!m.find()) {
      throw new IllegalArgumentException("unrecognised server version '" + raw + "'");
    }
    int patch = m.group(3) == null ? 0 : Integer.parseInt(m.group(3));
    boolean mariaDb = raw.toLowerCase(Locale.ROOT).contains("mariadb");
    return new ServerVersion(raw, Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), patch, mariaDb);
  }

  public boolean atLeast(int major, int minor, int patch) {
    if (this.major != major) {
      return this.major > major;
    }
    if (this.minor != minor) {
      return this.minor > minor;
    }
    return this.patch >= patch;
  }

  /** {@code 8.0.31} or {@code 10.11.19}: the numbers, without distribution suffixes. */
  public String number() {
    return major + "." + minor + "." + patch;
  }

  @Override
  public String toString() {
    return (mariaDb ? "MariaDB " : "MySQL ") + number();
  }
}
