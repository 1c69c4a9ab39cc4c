package dev.qsp.sockets.engine;

/**
 * When rekeys happen (SPEC.md §4.10, §4.13). The server starts a rekey of kind {@link #automaticKind()} once the
 * current epoch has carried {@link #recordLimit()} records or {@link #byteLimit()} plaintext bytes in either
 * direction (its receive counters cover what the client sends), or has lasted {@link #timeLimitNanos()}. A client
 * never starts a rekey on its own: it sends REKEY_REQUEST only when its application asks (SPEC.md §4.10), and of
 * this policy it applies only the hard record limit. Independently of the policy, no side sends
 * application data under one key past the suite's hard record limit ({@link #hardRecordLimit()} may only lower
 * it) and a peer's rekey requests closer together than {@link #minRequestIntervalNanos()} are refused.
 *
 * @param recordLimit             records per epoch and direction before a rekey; 0 = the suite's soft limit
 * @param hardRecordLimit         records per key after which sending is refused; 0 = the suite's hard limit
 * @param byteLimit               plaintext bytes per epoch and direction before a rekey; 0 = none
 * @param timeLimitNanos          epoch lifetime before a rekey; 0 = none
 * @param automaticKind           the kind of rekey the triggers start
 * @param minRequestIntervalNanos the server refuses REKEY_REQUESTs closer together than this
 * @param clientFreshAllowed      whether the server honours a client's REKEY_REQUEST(fresh) as fresh at all
 * @param minClientFreshIntervalNanos the server honours a client's fresh request at most once per this interval;
 *                                a request sooner (or any, if not allowed) is answered with a ratchet (SPEC.md §4.10)
 */
public record RekeyPolicy(long recordLimit, long hardRecordLimit, long byteLimit, long timeLimitNanos,
                          RekeyKind automaticKind, long minRequestIntervalNanos, boolean clientFreshAllowed,
                          long minClientFreshIntervalNanos) {
    /** Default {@link #minClientFreshIntervalNanos}: 60 s (SPEC.md §4.10, {@code dev.qsp.rekey.minFreshInterval}). */
    public static final long DEFAULT_MIN_CLIENT_FRESH_INTERVAL_NANOS = 60_000_000_000L;

    /**
     * Safe defaults: the suite's record limits, 2^34 bytes (16 GiB), one hour, ratchet; requests 1 s apart; a
     * client's fresh request honoured at most once a minute.
     */
    public static final RekeyPolicy DEFAULT =
            new RekeyPolicy(0, 0, 1L << 34, 3_600_000_000_000L, RekeyKind.RATCHET, 1_000_000_000L);

    /** Checks that no limit is negative and that {@code automaticKind} is set. */
    public RekeyPolicy {
        if (recordLimit < 0 || hardRecordLimit < 0 || byteLimit < 0 || timeLimitNanos < 0 || minRequestIntervalNanos < 0
                || minClientFreshIntervalNanos < 0) {
            throw new IllegalArgumentException("rekey policy limits must be >= 0 (0 = default/none)");
        }
        if (automaticKind == null) throw new IllegalArgumentException("automaticKind must not be null");
    }

    /**
     * A policy that honours clients' fresh requests at most once per {@link #DEFAULT_MIN_CLIENT_FRESH_INTERVAL_NANOS}.
     *
     * @param recordLimit             records per epoch and direction before a rekey; 0 = the suite's soft limit
     * @param hardRecordLimit         records per key after which sending is refused; 0 = the suite's hard limit
     * @param byteLimit               plaintext bytes per epoch and direction before a rekey; 0 = none
     * @param timeLimitNanos          epoch lifetime before a rekey; 0 = none
     * @param automaticKind           the kind of rekey the triggers start
     * @param minRequestIntervalNanos the server refuses REKEY_REQUESTs closer together than this
     */
    public RekeyPolicy(long recordLimit, long hardRecordLimit, long byteLimit, long timeLimitNanos,
                       RekeyKind automaticKind, long minRequestIntervalNanos) {
        this(recordLimit, hardRecordLimit, byteLimit, timeLimitNanos, automaticKind, minRequestIntervalNanos, true,
                DEFAULT_MIN_CLIENT_FRESH_INTERVAL_NANOS);
    }

    /**
     * {@return this policy with another record limit}
     *
     * @param n records per epoch and direction; 0 = the suite's soft limit
     */
    public RekeyPolicy withRecordLimit(long n) { return copy(f -> f.recordLimit = n); }

    /**
     * {@return this policy with another hard record limit}
     *
     * @param n records per key; 0 = the suite's (it can only lower it)
     */
    public RekeyPolicy withHardRecordLimit(long n) { return copy(f -> f.hardRecordLimit = n); }

    /**
     * {@return this policy with another byte limit}
     *
     * @param n plaintext bytes per epoch and direction; 0 = none
     */
    public RekeyPolicy withByteLimit(long n) { return copy(f -> f.byteLimit = n); }

    /**
     * {@return this policy with another epoch lifetime}
     *
     * @param n nanoseconds; 0 = none
     */
    public RekeyPolicy withTimeLimitNanos(long n) { return copy(f -> f.timeLimitNanos = n); }

    /**
     * {@return this policy with another kind for the automatic rekeys}
     *
     * @param k ratchet or fresh
     */
    public RekeyPolicy withAutomaticKind(RekeyKind k) { return copy(f -> f.automaticKind = k); }

    /**
     * {@return this policy with another minimum interval between honoured REKEY_REQUESTs}
     *
     * @param n nanoseconds
     */
    public RekeyPolicy withMinRequestIntervalNanos(long n) { return copy(f -> f.minRequestIntervalNanos = n); }

    /**
     * {@return this policy with client-requested fresh rekeys honoured or not}
     *
     * @param v whether to honour them (if not, they are answered with a ratchet)
     */
    public RekeyPolicy withClientFreshAllowed(boolean v) { return copy(f -> f.clientFreshAllowed = v); }

    /**
     * {@return this policy with another minimum interval between honoured client-requested fresh rekeys}
     *
     * @param n nanoseconds; 0 = none
     */
    public RekeyPolicy withMinClientFreshIntervalNanos(long n) { return copy(f -> f.minClientFreshIntervalNanos = n); }

    /** The fields of a policy being changed by one {@code with...} (the canonical constructor checks the result). */
    private static final class Fields {
        long recordLimit;
        long hardRecordLimit;
        long byteLimit;
        long timeLimitNanos;
        RekeyKind automaticKind;
        long minRequestIntervalNanos;
        boolean clientFreshAllowed;
        long minClientFreshIntervalNanos;
    }

    private RekeyPolicy copy(java.util.function.Consumer<Fields> change) {
        Fields f = new Fields();
        f.recordLimit = recordLimit;
        f.hardRecordLimit = hardRecordLimit;
        f.byteLimit = byteLimit;
        f.timeLimitNanos = timeLimitNanos;
        f.automaticKind = automaticKind;
        f.minRequestIntervalNanos = minRequestIntervalNanos;
        f.clientFreshAllowed = clientFreshAllowed;
        f.minClientFreshIntervalNanos = minClientFreshIntervalNanos;
        change.accept(f);
        return new RekeyPolicy(f.recordLimit, f.hardRecordLimit, f.byteLimit, f.timeLimitNanos, f.automaticKind,
                f.minRequestIntervalNanos, f.clientFreshAllowed, f.minClientFreshIntervalNanos);
    }

    long softRecords(AeadSuite s) {
        return recordLimit == 0 ? s.softRecordLimit() : Math.min(recordLimit, s.softRecordLimit());
    }

    long hardRecords(AeadSuite s) {
        return hardRecordLimit == 0 ? s.hardRecordLimit() : Math.min(hardRecordLimit, s.hardRecordLimit());
    }
}
