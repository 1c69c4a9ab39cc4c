package dev.qsp.sockets.engine;

/**
 * When rekeys happen (SPEC.md §4.10, §4.13). The server starts a rekey of kind {@link #automaticKind()} once the
 * current epoch has carried {@link #recordLimit()} records or {@link #byteLimit()} plaintext bytes in either
 * direction, or has lasted {@link #timeLimitNanos()}; the client asks for one (REKEY_REQUEST) when its own
 * sending direction reaches the same record or byte limit. Independently of the policy, no side sends
 * application data under one key past the suite's hard record limit ({@link #hardRecordLimit()} may only lower
 * it) and a peer's rekey requests closer together than {@link #minRequestIntervalNanos()} are refused.
 *
 * @param recordLimit             records per epoch and direction before a rekey; 0 = the suite's soft limit
 * @param hardRecordLimit         records per key after which sending is refused; 0 = the suite's hard limit
 * @param byteLimit               plaintext bytes per epoch and direction before a rekey; 0 = none
 * @param timeLimitNanos          epoch lifetime before a rekey; 0 = none
 * @param automaticKind           the kind of rekey the triggers start
 * @param minRequestIntervalNanos the server refuses REKEY_REQUESTs closer together than this
 */
public record RekeyPolicy(long recordLimit, long hardRecordLimit, long byteLimit, long timeLimitNanos,
                          RekeyKind automaticKind, long minRequestIntervalNanos) {
    /** Safe defaults: the suite's record limits, 2^34 bytes (16 GiB), one hour, ratchet; requests 1 s apart. */
    public static final RekeyPolicy DEFAULT =
            new RekeyPolicy(0, 0, 1L << 34, 3_600_000_000_000L, RekeyKind.RATCHET, 1_000_000_000L);

    public RekeyPolicy {
        if (recordLimit < 0 || hardRecordLimit < 0 || byteLimit < 0 || timeLimitNanos < 0 || minRequestIntervalNanos < 0) {
            throw new IllegalArgumentException("rekey policy limits must be >= 0 (0 = default/none)");
        }
        if (automaticKind == null) throw new IllegalArgumentException("automaticKind must not be null");
    }

    public RekeyPolicy withRecordLimit(long n) {
        return new RekeyPolicy(n, hardRecordLimit, byteLimit, timeLimitNanos, automaticKind, minRequestIntervalNanos);
    }

    public RekeyPolicy withHardRecordLimit(long n) {
        return new RekeyPolicy(recordLimit, n, byteLimit, timeLimitNanos, automaticKind, minRequestIntervalNanos);
    }

    public RekeyPolicy withByteLimit(long n) {
        return new RekeyPolicy(recordLimit, hardRecordLimit, n, timeLimitNanos, automaticKind, minRequestIntervalNanos);
    }

    public RekeyPolicy withTimeLimitNanos(long n) {
        return new RekeyPolicy(recordLimit, hardRecordLimit, byteLimit, n, automaticKind, minRequestIntervalNanos);
    }

    public RekeyPolicy withAutomaticKind(RekeyKind k) {
        return new RekeyPolicy(recordLimit, hardRecordLimit, byteLimit, timeLimitNanos, k, minRequestIntervalNanos);
    }

    public RekeyPolicy withMinRequestIntervalNanos(long n) {
        return new RekeyPolicy(recordLimit, hardRecordLimit, byteLimit, timeLimitNanos, automaticKind, n);
    }

    long softRecords(AeadSuite s) {
        return recordLimit == 0 ? s.softRecordLimit() : Math.min(recordLimit, s.softRecordLimit());
    }

    long hardRecords(AeadSuite s) {
        return hardRecordLimit == 0 ? s.hardRecordLimit() : Math.min(hardRecordLimit, s.hardRecordLimit());
    }
}
