package io.ticketfoundry.common.safetensors;

import java.util.List;
import java.util.Map;

/**
 * A validated header: metadata, the tensor entries ordered by their position in the data area,
 * the JSON length {@code N} from the 8-byte prefix, and the length of the data area.
 */
public record SafeTensorsHeader(
        Map<String, String> metadata,
        List<TensorInfo> tensors,
        long headerLength,
        long dataLength) {

    public SafeTensorsHeader {
        metadata = Map.copyOf(metadata);
        tensors = List.copyOf(tensors);
    }

    /** Where the data area starts in the file: after the 8-byte length prefix and the header. */
    public long dataStart() {
        return 8 + headerLength;
    }
}
