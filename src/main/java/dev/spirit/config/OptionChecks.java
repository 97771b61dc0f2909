package dev.spirit.config;

import java.time.Duration;

/** Range checks shared by the configuration records, so that every refusal reads the same way. */
final class OptionChecks {
  private OptionChecks() {}

  static int between(String option, int value, int min, int max) {
    if (value < min || value > max) {
      throw new InvalidOptionException(
          option + ": must be between " + min + " and " + max + ", got " + value, option);
    }
    return value;
  }

  static Duration between(String option, Duration value, Duration min, Duration max) {
    if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
      throw new InvalidOptionException(
          option + ": must be between " + GoDuration.format(min) + " and " + GoDuration.format(max) + ", got "
              + GoDuration.format(value),
          option);
    }
    return value;
  }

  static Duration positive(String option, Duration value) {
    if (value.isNegative() || value.isZero()) {
      throw new InvalidOptionException(
          option + ": must be greater than 0s, got " + GoDuration.format(value), option);
    }
    return value;
  }

  static Duration notNegative(String option, Duration value) {
    if (value.isNegative()) {
      throw new InvalidOptionException(
          option + ": must not be negative, got " + GoDuration.format(value), option);
    }
    return value;
  }

  static String notBlank(String option, String value) {
    if (value.isBlank()) {
      throw new InvalidOptionException(option + ": must not be empty", option);
    }
    return value;
  }
}
