package dev.spirit.error;

/** The process exit codes of {@code spirit}; documented in {@code --help} and docs/. */
public enum ExitCode {
  /** The run completed. */
  OK(0),
  /** The run failed after it started changing things; the original table is left as it was. */
  RUNTIME_FAILURE(1),
  /** A bad flag, value or configuration file; nothing was contacted or changed. */
  USAGE(2),
  /** Refused before any change: the statement, the table or the server cannot be migrated safely. */
  REFUSED(3),
  /** Stopped by Ctrl-C or SIGTERM after cleaning up. */
  INTERRUPTED(130);

  private final int code;

  ExitCode(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }
}
