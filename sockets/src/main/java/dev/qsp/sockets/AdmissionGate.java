package dev.qsp.sockets;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * Admission control for unauthenticated handshakes (SPEC.md §4.13, §6.2), in one place for every server of a
 * {@link QspContext}: the blocking {@link QspServerSocket} and non-blocking servers share the context's gate.
 *
 * <p>A server asks for a {@link Ticket} as soon as it has accepted a TCP connection, before it creates an engine
 * or does any cryptography; {@code null} means a cap is full and the connection must be closed at once. Two caps
 * hold: concurrent handshakes in total ({@code dev.qsp.server.maxHandshakes}, default 1024) and per source address
 * ({@code dev.qsp.server.maxHandshakesPerAddress}, default 64). A ticket is released when the handshake completes,
 * fails or the connection closes, whichever comes first. Refusals are counted, and logged at most once per
 * {@value #LOG_INTERVAL_SECONDS} s so that a flood cannot flood the log as well. Thread-safe.
 */
public final class AdmissionGate {
    /** The default cap on concurrent handshakes in total ({@code dev.qsp.server.maxHandshakes}, SPEC.md §6.2). */
    public static final int DEFAULT_MAX_HANDSHAKES = 1024;
    /**
     * The default cap on concurrent handshakes from one source address
     * ({@code dev.qsp.server.maxHandshakesPerAddress}, SPEC.md §6.2).
     */
    public static final int DEFAULT_MAX_HANDSHAKES_PER_ADDRESS = 64;
    static final int LOG_INTERVAL_SECONDS = 10;
    private static final long LOG_INTERVAL_NANOS = LOG_INTERVAL_SECONDS * 1_000_000_000L;

    /** One admitted handshake; {@link #release} is idempotent. */
    public interface Ticket {
        /**
         * Gives the place back under both caps: once the handshake has completed or failed, or the connection
         * has closed. Calls after the first do nothing.
         */
        void release();
    }

    private final int maxHandshakes;
    private final int maxPerAddress;
    private final LongSupplier nanoClock;
    private final System.Logger log;
    private final Map<InetAddress, Integer> perAddress = new HashMap<>();
    private int inFlight;
    private long admitted;
    private long rejectedTotal;
    private long rejectedPerAddress;
    private long rejectedSinceLog;
    private long lastLogNanos;
    private boolean loggedOnce;

    /**
     * A gate with the given caps, on the system clock, logging refusals to the {@code System.Logger} named after
     * this class.
     *
     * @param maxHandshakes the cap on concurrent handshakes in total (at least 1)
     * @param maxPerAddress the cap on concurrent handshakes from one source address (at least 1)
     * @throws IllegalArgumentException if a cap is below 1
     */
    public AdmissionGate(int maxHandshakes, int maxPerAddress) {
        this(maxHandshakes, maxPerAddress, System::nanoTime, System.getLogger(AdmissionGate.class.getName()));
    }

    /**
     * As {@link #AdmissionGate(int, int)} with the clock that spaces the log lines and the logger (tests).
     *
     * @param maxHandshakes the cap on concurrent handshakes in total (at least 1)
     * @param maxPerAddress the cap on concurrent handshakes from one source address (at least 1)
     * @param nanoClock     the time in nanoseconds (as {@link System#nanoTime()}) that spaces the refusal log lines
     *                      {@value #LOG_INTERVAL_SECONDS} s apart
     * @param log           where refusals are reported, at level {@code WARNING}
     * @throws IllegalArgumentException if a cap is below 1
     * @throws NullPointerException     if {@code nanoClock} or {@code log} is null
     */
    public AdmissionGate(int maxHandshakes, int maxPerAddress, LongSupplier nanoClock, System.Logger log) {
        if (maxHandshakes < 1) throw new IllegalArgumentException("maxHandshakes must be >= 1, got " + maxHandshakes);
        if (maxPerAddress < 1) throw new IllegalArgumentException("maxHandshakesPerAddress must be >= 1, got " + maxPerAddress);
        this.maxHandshakes = maxHandshakes;
        this.maxPerAddress = maxPerAddress;
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        this.log = Objects.requireNonNull(log, "log");
    }

    /**
     * A ticket for one handshake from {@code peer}, or null if the total or the per-address cap is full (the
     * refusal is counted and, at most once per 10 s, logged with the counts since the last line).
     *
     * @param peer the source address of the connection just accepted
     * @return the ticket to release when the handshake ends, or null if the connection must be closed at once
     * @throws NullPointerException if {@code peer} is null
     */
    public Ticket tryAdmit(InetAddress peer) {
        Objects.requireNonNull(peer, "peer");
        String refusal = null;
        long refusedNow = 0;
        synchronized (this) {
            int mine = perAddress.getOrDefault(peer, 0);
            if (inFlight >= maxHandshakes || mine >= maxPerAddress) {
                rejectedTotal++;
                if (inFlight < maxHandshakes) rejectedPerAddress++;
                rejectedSinceLog++;
                long now = nanoClock.getAsLong();
                if (!loggedOnce || now - lastLogNanos >= LOG_INTERVAL_NANOS) {
                    loggedOnce = true;
                    lastLogNanos = now;
                    refusedNow = rejectedSinceLog;
                    rejectedSinceLog = 0;
                    refusal = inFlight >= maxHandshakes
                            ? maxHandshakes + " handshakes in progress (dev.qsp.server.maxHandshakes)"
                            : mine + " handshakes in progress from " + peer.getHostAddress()
                                    + " (dev.qsp.server.maxHandshakesPerAddress)";
                }
            } else {
                inFlight++;
                admitted++;
                perAddress.put(peer, mine + 1);
                return new Held(peer);
            }
        }
        if (refusal != null) {
            log.log(System.Logger.Level.WARNING, "QSP server refused " + refusedNow + " connection(s) since the last report: "
                    + refusal + "; " + rejectedTotal() + " refused in all");
        }
        return null;
    }

    private synchronized void release(InetAddress peer) {
        inFlight--;
        int left = perAddress.get(peer) - 1;
        if (left == 0) perAddress.remove(peer);
        else perAddress.put(peer, left);
    }

    /** {@return the number of tickets held now (handshakes admitted and not yet ended)} */
    public synchronized int inFlight() { return inFlight; }

    /**
     * Tickets held now by {@code peer}.
     *
     * @param peer a source address
     * @return the number of tickets held now for connections from {@code peer}
     */
    public synchronized int inFlight(InetAddress peer) { return perAddress.getOrDefault(peer, 0); }

    /** {@return the number of tickets ever issued by this gate} */
    public synchronized long admitted() { return admitted; }

    /** {@return the number of connections refused by either cap} */
    public synchronized long rejectedTotal() { return rejectedTotal; }

    /** {@return the number of connections refused by the per-address cap (the total cap had room)} */
    public synchronized long rejectedPerAddress() { return rejectedPerAddress; }

    /** {@return the cap on concurrent handshakes in total} */
    public int maxHandshakes() { return maxHandshakes; }

    /** {@return the cap on concurrent handshakes from one source address} */
    public int maxHandshakesPerAddress() { return maxPerAddress; }

    @Override
    public String toString() {
        return "AdmissionGate[" + inFlight() + "/" + maxHandshakes + " handshakes, " + maxPerAddress + " per address, "
                + rejectedTotal() + " refused]";
    }

    private final class Held implements Ticket {
        private final InetAddress peer;
        private final AtomicBoolean released = new AtomicBoolean();

        Held(InetAddress peer) { this.peer = peer; }

        @Override
        public void release() {
            if (released.compareAndSet(false, true)) AdmissionGate.this.release(peer);
        }

        @Override
        public String toString() { return "AdmissionGate.Ticket[" + (released.get() ? "released" : "held") + "]"; }
    }
}
