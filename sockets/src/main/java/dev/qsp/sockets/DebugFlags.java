package dev.qsp.sockets;

import java.util.Locale;

/**
 * The categories of {@code -Ddev.qsp.debug} (SPEC.md §6.6): {@code handshake}, {@code rekey}, {@code record},
 * {@code keysource}, or {@code all}, comma-separated. Read once per context into finals, so that a disabled
 * category costs one final-field test.
 */
record DebugFlags(boolean handshake, boolean rekey, boolean record, boolean keysource) {
    static final String PROPERTY = "dev.qsp.debug";
    static final DebugFlags OFF = new DebugFlags(false, false, false, false);

    /**
     * Parses the property's value (null or blank: off).
     *
     * @throws IllegalArgumentException naming an unknown category and the known ones
     */
    static DebugFlags parse(String value) {
        if (value == null || value.isBlank()) return OFF;
        boolean h = false, r = false, rec = false, k = false;
        for (String s : value.split(",")) {
            switch (s.strip().toLowerCase(Locale.ROOT)) {
                case "handshake" -> h = true;
                case "rekey" -> r = true;
                case "record" -> rec = true;
                case "keysource" -> k = true;
                case "all" -> { h = true; r = true; rec = true; k = true; }
                case "" -> { }
                default -> throw new IllegalArgumentException(PROPERTY + ": unknown category '" + s.strip()
                        + "' (known: handshake, rekey, record, keysource, all)");
            }
        }
        return new DebugFlags(h, r, rec, k);
    }

    boolean any() { return handshake || rekey || record || keysource; }
}
