package io.ticketfoundry.worker.data;

import java.io.IOException;

/** A file that is not the IDX file it should be; the message names the file and the problem. */
public class IdxFormatException extends IOException {

    public IdxFormatException(String message) {
        super(message);
    }
}
