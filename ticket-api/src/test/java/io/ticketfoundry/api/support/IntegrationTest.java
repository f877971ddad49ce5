package io.ticketfoundry.api.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;

/**
 * The whole service on a random port against a real PostgreSQL ({@link TestDatabase}), artifacts in
 * a temporary folder, a known platform admin token ({@link ApiTestSupport#ADMIN_TOKEN}).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"tf.bootstrap-token=" + ApiTestSupport.ADMIN_TOKEN, "tf.queue.sweep-interval=1h"})
@Import(TestDatabaseConfiguration.class)
public @interface IntegrationTest {
}
