package dev.spirit.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.joran.spi.JoranException;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class LogSetupTest {
  private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  private final ListAppender<ILoggingEvent> captured = new ListAppender<>();

  @AfterEach
  void restore() {
    root.detachAppender(captured);
    root.setLevel(Level.INFO);
  }

  @Test
  void logbackXmlLogsInfoToStderrAndQuietsNoisyLibraries() throws JoranException {
    // A fresh context, because other tests switch the live one to DEBUG.
    LoggerContext context = new LoggerContext();
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    configurator.doConfigure(LogSetupTest.class.getResource("/logback.xml"));
    Logger configuredRoot = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    assertThat(configuredRoot.getLevel()).isEqualTo(Level.INFO);
    assertThat(context.getLogger("com.zaxxer.hikari").getLevel()).isEqualTo(Level.WARN);
    assertThat(context.getLogger("com.github.shyiko").getLevel()).isEqualTo(Level.WARN);
    Appender<ILoggingEvent> appender = configuredRoot.getAppender("STDERR");
    assertThat(appender).isInstanceOf(ConsoleAppender.class);
    assertThat(((ConsoleAppender<ILoggingEvent>) appender).getTarget()).isEqualTo("System.err");
    context.stop();
  }

  @Test
  void verboseTurnsTheRootLoggerToDebug() {
    LogSetup.enableDebugLogging();
    assertThat(root.getLevel()).isEqualTo(Level.DEBUG);
  }

  @Test
  void javaUtilLoggingRecordsReachLogback() {
    captured.start();
    root.addAppender(captured);
    LogSetup.routeJulToSlf4j();
    LogSetup.routeJulToSlf4j(); // idempotent: still one copy of each record

    java.util.logging.Logger.getLogger("com.github.shyiko.mysql.binlog.Test").warning("binlog says hello");

    assertThat(captured.list)
        .filteredOn(e -> e.getFormattedMessage().equals("binlog says hello"))
        .singleElement()
        .satisfies(e -> assertThat(e.getLevel()).isEqualTo(Level.WARN))
        .satisfies(e -> assertThat(e.getLoggerName()).isEqualTo("com.github.shyiko.mysql.binlog.Test"));
  }
}
