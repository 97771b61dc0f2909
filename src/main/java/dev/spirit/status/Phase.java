package dev.spirit.status;

/** The phases of a run, in order. */
public enum Phase {
  PREFLIGHT("preflight"),
  FAST_PATH("instant/inplace attempt"),
  SETUP("setup"),
  COPY("copy"),
  CATCH_UP("catch-up"),
  BUILD_INDEXES("secondary indexes"),
  CHECKSUM("checksum"),
  WAIT_FOR_RELEASE("waiting for sentinel release"),
  CUTOVER("cutover"),
  CLEANUP("cleanup"),
  DONE("done");

  private final String label;

  Phase(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
