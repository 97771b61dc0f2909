package dev.spirit.config;

/** How a run reports its status: human lines on stderr only, or JSON lines on stdout as well (docs/status.md). */
public enum StatusFormat {
  TEXT, JSON
}
