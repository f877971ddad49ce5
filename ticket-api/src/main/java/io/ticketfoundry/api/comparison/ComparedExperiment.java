package io.ticketfoundry.api.comparison;

import java.util.UUID;

/** An experiment as a comparison names it: its team (for the read check), name, own dataset and objective. */
record ComparedExperiment(UUID id, UUID teamId, String name, String dataset, String objective) {

    String label() {
        return name + " (" + objective + ")";
    }
}
