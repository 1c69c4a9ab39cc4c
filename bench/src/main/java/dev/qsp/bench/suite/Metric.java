package dev.qsp.bench.suite;

/** The suite's metrics, each in the unit the report shows and with the direction that is better. */
public enum Metric {
    HANDSHAKE("handshake latency (new connection)", "ms", false),
    BULK("bulk throughput (256 MiB one way, 16 KiB writes)", "MiB/s", true),
    ECHO("64-byte echo round trip", "µs", false),
    IDLE_MEMORY("heap per idle connection (both ends, 1,000 connections)", "KiB", false),
    REKEY_RATCHET("rekeys per second, ratchet (in-memory engine pair)", "rekeys/s", true),
    REKEY_FRESH("rekeys per second, fresh hybrid KEM (in-memory engine pair)", "rekeys/s", true);

    private final String label;
    private final String unit;
    private final boolean higherIsBetter;

    Metric(String label, String unit, boolean higherIsBetter) {
        this.label = label;
        this.unit = unit;
        this.higherIsBetter = higherIsBetter;
    }

    public String label() {
        return label;
    }

    public String unit() {
        return unit;
    }

    public boolean higherIsBetter() {
        return higherIsBetter;
    }

    public String key() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
