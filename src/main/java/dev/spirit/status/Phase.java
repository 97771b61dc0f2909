package dev.spirit.status;

/** The phases of a run, in order. */
public enum Phase {
  PREFLIGHT("preflight", "initial"),
  FAST_PATH("instant/inplace attempt", "initial"),
  SETUP("setup", "initial"),
  COPY("copy", "copyRows"),
  CATCH_UP("catch-up", "applyChangeset"),
  BUILD_INDEXES("secondary indexes", "restoreSecondaryIndexes"),
  CHECKSUM("checksum", "checksum"),
  WAIT_FOR_RELEASE("waiting for sentinel release", "waitingOnSentinelTable"),
  CUTOVER("cutover", "cutOver"),
  CLEANUP("cleanup", "close"),
  DONE("done", "close");

  private final String label;
  private final String upstreamName;

  Phase(String label, String upstreamName) {
    this.label = label;
    this.upstreamName = upstreamName;
  }

  public String label() {
    return label;
  }

  /** Upstream Spirit's name of the state this phase is part of, for machine-readable status. */
  public String upstreamName() {
    return upstreamName;
  }

  /**
   * Upstream Spirit's number of the state this phase is part of ({@code workflow_phase}'s value): initial 0, copyRows
   * 1, applyChangeset 2, restoreSecondaryIndexes 3, analyzeTable 4, checksum 5, postChecksum 6,
   * waitingOnSentinelTable 7, cutOver 8, reverseWindow 9, close 10.
   */
  public int upstreamNumber() {
    return switch (upstreamName) {
      case "initial" -> 0;
      case "copyRows" -> 1;
      case "applyChangeset" -> 2;
      case "restoreSecondaryIndexes" -> 3;
      case "checksum" -> 5;
      case "waitingOnSentinelTable" -> 7;
      case "cutOver" -> 8;
      case "close" -> 10;
      default -> throw new IllegalStateException("no upstream number for " + upstreamName);
    };
  }

  /** The name of this phase itself in machine-readable status: {@code fastPath}, {@code catchUp}, … */
  public String key() {
    String[] words = name().toLowerCase(java.util.Locale.ROOT).split("_");
    StringBuilder sb = new StringBuilder(words[0]);
    for (int i = 1; i < words.length; i++) {
      sb.append(Character.toUpperCase(words[i].charAt(0))).append(words[i].substring(1));
    }
    return sb.toString();
  }
}
