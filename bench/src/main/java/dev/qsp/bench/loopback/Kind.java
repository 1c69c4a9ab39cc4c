package dev.qsp.bench.loopback;

/** The rows the round-robin loopback harness measures; each round measures every stack in every row. */
public enum Kind {
    /** One client at a time: connect, the full handshake, the server's first application byte, reset. */
    HANDSHAKE("handshake", "handshake latency (connect, full handshake, first server byte)", "µs", false, 0),
    /** 64 bytes written, flushed and read back on one established connection. */
    ECHO("echo", "64-byte echo round trip", "µs", false, 0),
    /** Handshakes the server completes per second with 2 clients handshaking concurrently. */
    HANDSHAKES_2("handshakes-2", "server handshakes per second, 2 concurrent clients", "handshakes/s", true, 2),
    /** The same with 8 concurrent clients. */
    HANDSHAKES_8("handshakes-8", "server handshakes per second, 8 concurrent clients", "handshakes/s", true, 8);

    private final String id;
    private final String label;
    private final String unit;
    private final boolean rate;
    private final int clients;

    Kind(String id, String label, String unit, boolean rate, int clients) {
        this.id = id;
        this.label = label;
        this.unit = unit;
        this.rate = rate;
        this.clients = clients;
    }

    public String id() {
        return id;
    }

    public String label() {
        return label;
    }

    public String unit() {
        return unit;
    }

    /** Higher is better (operations per second) rather than lower (µs per operation). */
    public boolean rate() {
        return rate;
    }

    /** Concurrent clients of a throughput row; 0 for the one-client rows. */
    public int clients() {
        return clients;
    }

    /** The row's figure for {@code ops} operations in {@code wallNanos}: µs per operation, or operations per second for a rate. */
    public double value(long ops, long wallNanos) {
        if (ops <= 0 || wallNanos <= 0) {
            throw new IllegalArgumentException(id + ": at least one operation in a positive time, not " + ops + " in "
                    + wallNanos + " ns");
        }
        return rate ? ops * 1e9 / wallNanos : wallNanos / 1e3 / ops;
    }

    public static Kind of(String id) {
        for (Kind k : values()) {
            if (k.id.equals(id)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown row " + id);
    }
}
