package dev.spirit.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.TestTemplate;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An integration test that runs once against every server flavour of this run, the flavour in the test's name
 * ({@code [mysql-8.0.31]}, {@code [mariadb-10.11.19]}). The method may take a {@link TestDatabase} (this class's own
 * schema on that server) and/or the {@link TestServer}. {@link #variants} picks the servers' configuration; by default
 * the standard servers only.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@TestTemplate
@ExtendWith(ServerTestExtension.class)
public @interface ServerTest {
  ServerVariant[] variants() default {ServerVariant.STANDARD};
}
