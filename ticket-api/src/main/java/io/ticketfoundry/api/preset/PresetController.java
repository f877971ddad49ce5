package io.ticketfoundry.api.preset;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.ticketfoundry.api.team.Caller;
import io.ticketfoundry.api.web.ApiException;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/presets")
@Tag(name = "Presets", description = "Protocols of published lottery-ticket runs, to submit by name with overrides")
public class PresetController {

    /** The preset list. */
    public record PresetList(List<Presets.Preset> items) {
    }

    @GetMapping
    @Operation(summary = "List the presets", description = "Each with its name, a description and its (partial) spec. "
            + "Submit one with POST /api/v1/experiments {\"preset\": name, \"spec\": overrides, ...}.")
    public PresetList list() {
        Caller.current();
        return new PresetList(Presets.all());
    }

    @GetMapping("/{name}")
    @Operation(summary = "One preset")
    public Presets.Preset get(@PathVariable String name) {
        Caller.current();
        return Presets.find(name).orElseThrow(() -> ApiException.notFound("preset " + name));
    }
}
