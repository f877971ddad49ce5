package io.ticketfoundry.api.team;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ticketfoundry.api.config.FoundryProperties;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class BootstrapAdminTest {

    @Test
    void aShortConfiguredAdminTokenStopsTheStartWithTheSettingNamed() {
        FoundryProperties properties = new FoundryProperties(Path.of("data"), "tf_short", null, null, null);
        assertThatThrownBy(() -> new BootstrapAdmin(null, properties).run(null))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("tf.bootstrap-token")
                .hasMessageContaining("at least 32 characters");
    }
}
