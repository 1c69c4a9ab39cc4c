package dev.qsp.sockets.engine;

/** The four frame types of QSP v1 (SPEC.md §4.3). Any other type byte is fatal ({@code UNKNOWN_FRAME_TYPE}). */
public enum FrameType {
    HANDSHAKE(1), APP_DATA(2), REKEY(3), CLOSE(4);

    private final int wire;

    FrameType(int wire) { this.wire = wire; }

    public int wire() { return wire; }

    /** The type for a wire byte, or null if unknown. */
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
