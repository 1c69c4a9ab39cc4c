package dev.qsp.sockets.engine;

/** The four frame types of QSP v1 (SPEC.md §4.3). Any other type byte is fatal ({@code UNKNOWN_FRAME_TYPE}). */
public enum FrameType {
    /** Handshake messages, unprotected (SPEC.md §4.4). */
    HANDSHAKE(1),
    /** Application data, protected (§4.9). */
    APP_DATA(2),
    /** A rekey message, protected (§4.10). */
    REKEY(3),
    /** A close reason (§4.11). */
    CLOSE(4);

    private final int wire;

    FrameType(int wire) { this.wire = wire; }

    /** {@return the type byte on the wire} */
    public int wire() { return wire; }

    /**
     * {@return the type for a wire byte, or null if unknown}
     *
     * @param b the type byte
     */
    public static FrameType fromWire(int b) {
        return switch (b) {
            case 1 -> HANDSHAKE;
            case 2 -> APP_DATA;
            case 3 -> REKEY;
            case 4 -> CLOSE;
            default -> null;
        };
    }
}
