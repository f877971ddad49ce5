package io.ticketfoundry.worker.data;

import java.io.IOException;

/**
 * A dataset file that is not what its format promises, or whose content does not match its
 * registered hash. The message names the file. Every worker would fail the same way, so a job
 * failing with it is not retried.
 */
public class DatasetFormatException extends IOException {

    public DatasetFormatException(String message) {
        super(message);
    }
}
