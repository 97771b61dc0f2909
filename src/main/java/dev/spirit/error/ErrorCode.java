package dev.spirit.error;

/**
 * What went wrong, in words a script can match on. Each code decides the exit code, so the mapping from failure to
 * exit status lives in one place.
 */
public enum ErrorCode {
  INVALID_OPTION(ExitCode.USAGE),
  CONFIG_FILE(ExitCode.USAGE),
  CONNECTION_FAILED(ExitCode.USAGE),
  ACCESS_DENIED(ExitCode.USAGE),

  UNSUPPORTED_STATEMENT(ExitCode.REFUSED),
  UNSUPPORTED_SERVER(ExitCode.REFUSED),
  UNSUPPORTED_TABLE(ExitCode.REFUSED),
  SCHEMA_NOT_FOUND(ExitCode.REFUSED),
  TABLE_NOT_FOUND(ExitCode.REFUSED),
  PREFLIGHT_FAILED(ExitCode.REFUSED),
  ALREADY_RUNNING(ExitCode.REFUSED),
  /** A flag whose engine part does not exist yet: refused rather than ignored. */
  FEATURE_UNAVAILABLE(ExitCode.REFUSED),

  NOT_IMPLEMENTED(ExitCode.RUNTIME_FAILURE),
  /** A replica stopped replicating during the run: the cutover waits for the operator. */
  REPLICA_NOT_HEALTHY(ExitCode.RUNTIME_FAILURE),
  SQL_FAILED(ExitCode.RUNTIME_FAILURE),
  DATA_LOSS_PREVENTED(ExitCode.RUNTIME_FAILURE),
  CHECKSUM_FAILED(ExitCode.RUNTIME_FAILURE),
  CUTOVER_FAILED(ExitCode.RUNTIME_FAILURE),
  OWNERSHIP_AMBIGUOUS(ExitCode.RUNTIME_FAILURE),
  BINLOG_FAILED(ExitCode.RUNTIME_FAILURE),
  SCHEMA_CHANGED(ExitCode.RUNTIME_FAILURE),
  LOCK_LOST(ExitCode.RUNTIME_FAILURE),
  TIMED_OUT(ExitCode.RUNTIME_FAILURE),
  /** A checkpoint could not be written, or what an earlier run left behind could not be judged. */
  CHECKPOINT_FAILED(ExitCode.RUNTIME_FAILURE),
  INTERNAL(ExitCode.RUNTIME_FAILURE),

  INTERRUPTED(ExitCode.INTERRUPTED);

  private final ExitCode exitCode;

  ErrorCode(ExitCode exitCode) {
    this.exitCode = exitCode;
  }

  public ExitCode exitCode() {
    return exitCode;
  }
}
