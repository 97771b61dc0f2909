package dev.spirit.config;

import java.util.Objects;
import java.util.OptionalInt;

/**
 * A MySQL server address. Text form is {@code host[:port]}; an IPv6 literal must be in brackets
 * ({@code [::1]:3306}) because an unbracketed one cannot be told apart from a host with a port.
 */
public record HostPort(String host, int port) {
  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 3306;

  public HostPort {
    Objects.requireNonNull(host, "host");
    if (host.isEmpty()) {
      throw new IllegalArgumentException("host must not be empty");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be between 1 and 65535, got " + port);
    }
  }

  /** Reads {@code host[:port]}, using {@code portWhenAbsent} when the text has no port. */
  public static HostPort parse(String text, int portWhenAbsent) {
    Split split = split(text);
    return new HostPort(split.host, split.port == null ? portWhenAbsent : split.port);
  }

  /** The port written in {@code host[:port]} text, if any; fails the same way {@link #parse} does. */
  public static OptionalInt explicitPort(String text) {
    Split split = split(text);
    return split.port == null ? OptionalInt.empty() : OptionalInt.of(split.port);
  }

  /** Reads a port number alone, as found in an option file's {@code port} key. */
  public static int parsePort(String text) {
    if (text.isEmpty() || text.length() > 5 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new IllegalArgumentException("'" + text + "' is not a port; use a number between 1 and 65535");
    }
    int port = Integer.parseInt(text);
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be between 1 and 65535, got " + port);
    }
    return port;
  }

  @Override
  public String toString() {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }

  private record Split(String host, Integer port) {}

  private static Split split(String text) {
    Objects.requireNonNull(text, "text");
    if (text.isEmpty()) {
      throw new IllegalArgumentException("host must not be empty");
    }
    if (text.chars().anyMatch(Character::isWhitespace)) {
      throw new IllegalArgumentException("'" + text + "' contains whitespace; expected host[:port]");
    }
    if (text.startsWith("[")) {
      int close = text.indexOf(']');
      if (close < 0) {
        throw new IllegalArgumentException("'" + text + "' has no closing ']'; expected [ipv6]:port");
      }
      String host = text.substring(1, close);
      if (host.isEmpty() || host.indexOf(':') < 0) {
        throw new IllegalArgumentException("'" + text + "': brackets are only for IPv6 addresses");
      }
      String after = text.substring(close + 1);
      if (after.isEmpty()) {
        return new Split(host, null);
      }
      if (!after.startsWith(":")) {
        throw new IllegalArgumentException("'" + text + "': expected ':port' after ']'");
      }
      return new Split(host, portOf(text, after.substring(1)));
    }
    int firstColon = text.indexOf(':');
    if (firstColon < 0) {
      return new Split(text, null);
    }
    if (firstColon != text.lastIndexOf(':')) {
      throw new IllegalArgumentException(
          "'" + text + "' looks like an IPv6 address; put it in brackets, such as [::1]:3306");
    }
    String host = text.substring(0, firstColon);
    if (host.isEmpty()) {
      throw new IllegalArgumentException("'" + text + "' has a port but no host");
    }
    return new Split(host, portOf(text, text.substring(firstColon + 1)));
  }

  private static int portOf(String text, String port) {
    try {
      return parsePort(port);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "'" + text + "' has an invalid port '" + port + "'; use a number between 1 and 65535", e);
    }
  }
}
