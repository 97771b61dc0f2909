package dev.spirit.testing;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.LoggerFactory;

/** What one logger (and those below it) logged while some work ran in this process. */
public final class CapturedLog {
  private CapturedLog() {}

  /** The work's result and the lines logged meanwhile, one per line. */
  public record Captured<T>(T result, String log) {}

  public static <T> Captured<T> during(String logger, Supplier<T> work) {
    Logger log = (Logger) LoggerFactory.getLogger(logger);
    ListAppender<ILoggingEvent> logged = new ListAppender<>();
    logged.start();
    log.addAppender(logged);
    try {
      T result = work.get();
      return new Captured<>(result, logged.list.stream().map(e -> e.getFormattedMessage() + "\n")
          .collect(Collectors.joining()));
    } finally {
      log.detachAppender(logged);
    }
  }
}
