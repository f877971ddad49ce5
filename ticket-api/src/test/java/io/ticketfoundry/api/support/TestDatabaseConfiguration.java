package io.ticketfoundry.api.support;

import java.io.IOException;
import java.nio.file.Files;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistrar;

@TestConfiguration(proxyBeanMethods = false)
public class TestDatabaseConfiguration {

    @Bean
    DynamicPropertyRegistrar testDatabaseProperties() {
        return registry -> {
            TestDatabase database = TestDatabase.get();
            registry.add("spring.datasource.url", database::jdbcUrl);
            if (database.username() != null) {
                registry.add("spring.datasource.username", database::username);
                registry.add("spring.datasource.password", database::password);
            }
            registry.add("tf.data-dir", () -> {
                try {
                    return Files.createTempDirectory("tf-api-test").toString();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
        };
    }
}
