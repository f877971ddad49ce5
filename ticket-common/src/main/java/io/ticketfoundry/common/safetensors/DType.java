package io.ticketfoundry.common.safetensors;

import java.util.Arrays;
import java.util.stream.Collectors;

/** Element types of the safetensors format, with their size in bytes. */
public enum DType {
    F64(8), I64(8), U64(8),
    F32(4), I32(4), U32(4),
    F16(2), BF16(2), I16(2), U16(2),
    F8_E4M3(1), F8_E5M2(1), I8(1), U8(1), BOOL(1);

    private final int byteSize;

    DType(int byteSize) {
        this.byteSize = byteSize;
    }

    public int byteSize() {
        return byteSize;
    }

    /** The dtype spelled as in a header, e.g. {@code "F32"}; case matters, as in the reference. */
    public static DType fromHeaderName(String name) throws SafeTensorsFormatException {
        for (DType type : values()) {
            if (type.name().equals(name)) {
                return type;
            }
        }
        throw new SafeTensorsFormatException("unknown dtype \"" + name + "\"; expected one of "
                + Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", ")));
    }
}
