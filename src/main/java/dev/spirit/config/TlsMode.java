package dev.spirit.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How connections use TLS; the names and meanings follow MySQL's {@code --ssl-mode}. */
public enum TlsMode {
  DISABLED,
  /** TLS when the server offers it; plaintext only when the server has no TLS at all. */
  PREFERRED,
  REQUIRED,
  VERIFY_CA,
  VERIFY_IDENTITY;

  /** Reads a mode name case-insensitively ({@code verify_ca} is {@link #VERIFY_CA}). */
  public static TlsMode parse(String text) {
    String wanted = text.toUpperCase(Locale.ROOT);
    for (TlsMode mode : values()) {
      if (mode.name().equals(wanted)) {
        return mode;
      }
    }
    throw new IllegalArgumentException("'" + text + "' is not a TLS mode; use one of " + allowed());
  }

  public static String allowed() {
    return Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", "));
  }
}
