package io.ticketfoundry.worker.data;

/** A file that is not the IDX file it should be; the message names the file and the problem. */
public class IdxFormatException extends DatasetFormatException {

    public IdxFormatException(String message) {
        super(message);
    }
}
