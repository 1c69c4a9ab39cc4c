package dev.qsp.keysources.qkd;

import java.util.function.LongSupplier;

/**
 * A budget of KME draws per second for one {@link QkdKeySource} (SPEC.md §5.4, §4.13): a token bucket that holds
 * at most one second's worth of draws and refills continuously. Real QKD links make a few keys per second and every
 * SAE of a KME shares its pool; without a budget, peers that keep opening handshakes or fresh rekeys could empty
 * the pool for everyone. Once it is spent, the draw fails with {@link QkdException.Reason#RATE_LIMITED} and QKD
 * follows its policy: PREFER falls back with the in-band signal, REQUIRE fails that one handshake or rekey.
 * Thread-safe; the clock is injected so tests are deterministic.
 */
public final class KmeDrawBudget {
    /** Default draws per second ({@code qsp.qkd.maxKeysPerSecond}): generous, far above one client's needs. */
    public static final int DEFAULT_PER_SECOND = 100;

    private static final long SECOND = 1_000_000_000L;

    private final int perSecond;
    private final LongSupplier nanoClock;
    /** Tokens in units of 1/perSecond second's worth of nanoseconds: tokens = credit * perSecond / SECOND. */
    private long credit;
    private long last;
    private long drawn;
    private long refused;

    /**
     * A budget on the system clock.
     *
     * @param perSecond KME draws allowed per second (at least 1)
     */
    public KmeDrawBudget(int perSecond) { this(perSecond, System::nanoTime); }

    /**
     * A budget on an injected clock (tests).
     *
     * @param perSecond KME draws allowed per second (at least 1)
     * @param nanoClock the clock, in nanoseconds as {@link System#nanoTime()}
     */
    public KmeDrawBudget(int perSecond, LongSupplier nanoClock) {
        if (perSecond < 1) throw new IllegalArgumentException("qsp.qkd.maxKeysPerSecond must be >= 1, got " + perSecond);
        this.perSecond = perSecond;
        this.nanoClock = nanoClock;
        this.last = nanoClock.getAsLong();
        this.credit = SECOND; // a full bucket: one second's worth of draws
    }

    /**
     * Takes one draw.
     *
     * @throws QkdException RATE_LIMITED if this second's draws are spent
     */
    public synchronized void take() throws QkdException {
        long now = nanoClock.getAsLong();
        long elapsed = now - last;
        last = now;
        if (elapsed > 0) credit = Math.min(SECOND, credit + elapsed);
        long cost = SECOND / perSecond;
        if (credit < cost) {
            refused++;
            throw new QkdException(QkdException.Reason.RATE_LIMITED, "this side's budget of " + perSecond
                    + " KME draws per second (qsp.qkd.maxKeysPerSecond) is spent");
        }
        credit -= cost;
        drawn++;
    }

    /** {@return the KME draws allowed per second} */
    public int perSecond() { return perSecond; }

    /** {@return draws granted so far} */
    public synchronized long drawn() { return drawn; }

    /** {@return draws refused so far} */
    public synchronized long refused() { return refused; }

    @Override
    public String toString() { return "KmeDrawBudget[" + perSecond + "/s, " + drawn() + " drawn, " + refused() + " refused]"; }
}
