package dev.spirit.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/** Process-wide logging switches; the configuration itself is {@code logback.xml}. */
public final class LogSetup {
  private LogSetup() {}

  /** Sends java.util.logging records to SLF4J instead of JUL's own console handler. Idempotent. */
  public static void routeJulToSlf4j() {
    SLF4JBridgeHandler.removeHandlersForRootLogger();
    SLF4JBridgeHandler.install();
  }

  /** Turns the root logger to DEBUG, for {@code --verbose}. A no-op when Logback is not the SLF4J backend. */
  public static void enableDebugLogging() {
    if (LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof Logger root) {
      root.setLevel(Level.DEBUG);
    }
  }
}
