package dev.spirit.testing;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.Extension;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestTemplateInvocationContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContextProvider;

/** Expands a {@link ServerTest} into one invocation per server flavour; see {@link TestServers}. */
final class ServerTestExtension implements TestTemplateInvocationContextProvider {
  private static final Map<String, TestDatabase> DATABASES = new ConcurrentHashMap<>();

  @Override
  public boolean supportsTestTemplate(ExtensionContext context) {
    return context.getRequiredTestMethod().isAnnotationPresent(ServerTest.class);
  }

  @Override
  public Stream<TestTemplateInvocationContext> provideTestTemplateInvocationContexts(ExtensionContext context) {
    // Optional flavours (containers, external servers) that are not here are only named in the start-up notice;
    // the flavours CI requires always get an invocation, skipped or failed, so their absence shows in every report.
    List<ServerVariant> variants = List.of(context.getRequiredTestMethod().getAnnotation(ServerTest.class).variants());
    return TestServers.outcomes().stream()
        .filter(o -> variants.contains(o.variant()))
        .filter(o -> o.available() || o.failure() != null || o.requiredInCi())
        .map(FlavorInvocation::new);
  }

  static TestDatabase databaseFor(TestServer server, Class<?> testClass) {
    return DATABASES.computeIfAbsent(server.id() + "/" + testClass.getName(), key -> {
      String schema = TestDatabase.schemaFor(testClass);
      try {
        return TestDatabase.create(server, schema);
      } catch (java.sql.SQLException e) {
        throw new IllegalStateException("could not create schema " + schema + " on " + server, e);
      }
    });
  }

  private static final class FlavorInvocation implements TestTemplateInvocationContext {
    private final TestServers.Outcome outcome;

    FlavorInvocation(TestServers.Outcome outcome) {
      this.outcome = outcome;
    }

    @Override
    public String getDisplayName(int invocationIndex) {
      return "[" + outcome.displayId() + "]";
    }

    @Override
    public List<Extension> getAdditionalExtensions() {
      return List.of(new Availability(outcome), new Resolver(outcome));
    }
  }

  /** Skips, loudly, the invocations of a flavour this machine does not have; fails them in CI when required. */
  private static final class Availability implements ExecutionCondition {
    private final TestServers.Outcome outcome;

    Availability(TestServers.Outcome outcome) {
      this.outcome = outcome;
    }

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
      if (outcome.available() || outcome.failure() != null) {
        return ConditionEvaluationResult.enabled("server " + outcome.displayId());
      }
      if (outcome.requiredInCi() && TestServers.inCi()) {
        return ConditionEvaluationResult.enabled("required in CI; the test will fail");
      }
      return ConditionEvaluationResult.disabled("SKIPPED: no " + outcome.launcher() + " server: "
          + outcome.unavailableReason());
    }
  }

  private static final class Resolver implements ParameterResolver {
    private final TestServers.Outcome outcome;

    Resolver(TestServers.Outcome outcome) {
      this.outcome = outcome;
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
      Class<?> type = parameter.getParameter().getType();
      return type == TestServer.class || type == TestDatabase.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
      if (!outcome.available()) {
        String why = outcome.failure() != null
            ? "server " + outcome.launcher() + " failed to start: " + outcome.failure()
            : "server " + outcome.launcher() + " is required in CI but unavailable: " + outcome.unavailableReason();
        throw new ParameterResolutionException(why, outcome.failure());
      }
      if (parameter.getParameter().getType() == TestServer.class) {
        return outcome.server();
      }
      return databaseFor(outcome.server(), context.getRequiredTestClass());
    }
  }
}
