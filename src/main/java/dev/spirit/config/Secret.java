package dev.spirit.config;

import java.util.Objects;

/**
 * A password. It never prints itself, so a record holding one can be logged or shown in a test failure without
 * leaking it; only code that connects calls {@link #reveal()}.
 */
public final class Secret {
  private static final String REDACTED = "<redacted>";

  private final String value;

  private Secret(String value) {
    this.value = Objects.requireNonNull(value, "value");
  }

  /** An empty secret is a real, empty password (MySQL allows one), not an absent one. */
  public static Secret of(String value) {
    return new Secret(value);
  }

  public String reveal() {
    return value;
  }

  public boolean isEmpty() {
    return value.isEmpty();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Secret secret && secret.value.equals(value);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }

  @Override
  public String toString() {
    return REDACTED;
  }
}
