package dev.qsp.kme;

/**
 * Limits and behaviours of a simulated KME pair (sizes in bits, as in ETSI GS QKD 014 §6.1).
 *
 * @param keySize                     default key size when a request has none
 * @param minKeySize                  smallest size accepted (multiple of 8)
 * @param maxKeySize                  largest size accepted (multiple of 8)
 * @param maxKeyCount                 capacity of each link's pool, and of its keys awaiting dec_keys
 * @param maxKeyPerRequest            largest {@code number} in one enc_keys
 * @param autoRefill                  true: the QKD link refills the pool after every enc_keys (a demo never runs
 *                                    dry); false: the pool only drains, for empty-pool tests
 * @param emptyPoolStatus             400 or 503: how an enc_keys that finds too few keys is answered (KMEs differ)
 * @param discardUnconsumedOnEncKeys  true: an enc_keys drops the link's keys not yet fetched by dec_keys, as some
 *                                    KMEs do
 * @param countOnlyUnclaimedKeys      true: status {@code stored_key_count} counts only the keys enc_keys has
 *                                    delivered and dec_keys not yet claimed, as a third-party ETSI 014 simulator
 *                                    does — 0 while the pool holds hundreds (the count is advisory, SPEC.md §5.2)
 */
public record KmeSettings(int keySize, int minKeySize, int maxKeySize, int maxKeyCount, int maxKeyPerRequest,
                          boolean autoRefill, int emptyPoolStatus, boolean discardUnconsumedOnEncKeys,
                          boolean countOnlyUnclaimedKeys) {

    /**
     * Settings whose status counts the pool ({@code countOnlyUnclaimedKeys} false).
     *
     * @param keySize                    the default key size in bits
     * @param minKeySize                 the smallest key size accepted
     * @param maxKeySize                 the largest key size accepted
     * @param maxKeyCount                keys per link
     * @param maxKeyPerRequest           keys one request may ask for
     * @param autoRefill                 whether a drawn key is replaced
     * @param emptyPoolStatus            400 or 503, the answer when the pool is empty
     * @param discardUnconsumedOnEncKeys whether enc_keys discards keys the slave has not claimed
     */
    public KmeSettings(int keySize, int minKeySize, int maxKeySize, int maxKeyCount, int maxKeyPerRequest,
                       boolean autoRefill, int emptyPoolStatus, boolean discardUnconsumedOnEncKeys) {
        this(keySize, minKeySize, maxKeySize, maxKeyCount, maxKeyPerRequest, autoRefill, emptyPoolStatus,
                discardUnconsumedOnEncKeys, false);
    }

    /** Checks the sizes, counts and the empty-pool status; a bad one is named in the exception. */
    public KmeSettings {
        if (minKeySize < 8 || minKeySize % 8 != 0 || maxKeySize % 8 != 0 || minKeySize > maxKeySize
                || keySize < minKeySize || keySize > maxKeySize || keySize % 8 != 0) {
            throw new IllegalArgumentException("need 8 <= min_key_size <= key_size <= max_key_size, all multiples of 8;"
                    + " got " + minKeySize + " <= " + keySize + " <= " + maxKeySize);
        }
        if (maxKeyCount < 1 || maxKeyPerRequest < 1 || maxKeyPerRequest > maxKeyCount) {
            throw new IllegalArgumentException("need 1 <= max_key_per_request <= max_key_count, got "
                    + maxKeyPerRequest + " and " + maxKeyCount);
        }
        if (emptyPoolStatus != 400 && emptyPoolStatus != 503) {
            throw new IllegalArgumentException("emptyPoolStatus must be 400 or 503, got " + emptyPoolStatus);
        }
    }

    /** {@return settings with 256-bit keys (64..1024 accepted), 1000 keys per link, refilled, empty pool = 503, no discarding} */
    public static KmeSettings defaults() {
        return new KmeSettings(256, 64, 1024, 1000, 16, true, 503, false);
    }

    /**
     * {@return these settings with another pool size and refill}
     *
     * @param maxKeyCount keys per link
     * @param autoRefill  whether a drawn key is replaced
     */
    public KmeSettings withPool(int maxKeyCount, boolean autoRefill) {
        return new KmeSettings(keySize, minKeySize, maxKeySize, maxKeyCount, Math.min(maxKeyPerRequest, maxKeyCount),
                autoRefill, emptyPoolStatus, discardUnconsumedOnEncKeys, countOnlyUnclaimedKeys);
    }

    /**
     * {@return these settings with another answer to an empty pool}
     *
     * @param status 400 or 503
     */
    public KmeSettings withEmptyPoolStatus(int status) {
        return new KmeSettings(keySize, minKeySize, maxKeySize, maxKeyCount, maxKeyPerRequest, autoRefill, status,
                discardUnconsumedOnEncKeys, countOnlyUnclaimedKeys);
    }

    /**
     * {@return these settings with enc_keys discarding unclaimed keys or not}
     *
     * @param discard whether enc_keys discards keys the slave has not claimed
     */
    public KmeSettings withDiscardUnconsumedOnEncKeys(boolean discard) {
        return new KmeSettings(keySize, minKeySize, maxKeySize, maxKeyCount, maxKeyPerRequest, autoRefill,
                emptyPoolStatus, discard, countOnlyUnclaimedKeys);
    }

    /**
     * {@return these settings with status counting only delivered, unclaimed keys (true) or the pool (false)}
     * See {@code countOnlyUnclaimedKeys}.
     *
     * @param unclaimedOnly true to count only delivered, unclaimed keys
     */
    public KmeSettings withCountOnlyUnclaimedKeys(boolean unclaimedOnly) {
        return new KmeSettings(keySize, minKeySize, maxKeySize, maxKeyCount, maxKeyPerRequest, autoRefill,
                emptyPoolStatus, discardUnconsumedOnEncKeys, unclaimedOnly);
    }
}
