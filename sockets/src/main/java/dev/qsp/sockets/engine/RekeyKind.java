package dev.qsp.sockets.engine;

/** The two kinds of rekey (SPEC.md §4.10). */
public enum RekeyKind {
    /** HKDF-only step of the epoch secret: forward secrecy. */
    RATCHET(1),
    /** A new hybrid KEM exchange (and QKD key, where used) mixed in: post-compromise security. */
    FRESH(2);

    private final int wire;

    RekeyKind(int wire) { this.wire = wire; }

    /** {@return the kind byte on the wire} */
    public int wire() { return wire; }

    static RekeyKind fromWire(int v) {
        return switch (v) {
            case 1 -> RATCHET;
            case 2 -> FRESH;
            default -> null;
        };
    }
}
