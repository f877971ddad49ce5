package io.ticketfoundry.common.safetensors;

import java.io.IOException;

/** The bytes are not a well-formed safetensors file; the message says what is wrong. */
public class SafeTensorsFormatException extends IOException {

    public SafeTensorsFormatException(String message) {
        super(message);
    }

    public SafeTensorsFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
