package dev.qsp.sockets;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * One scheduler thread for all QSP server sockets of the JVM that applies time to idle connections, so that an
 * epoch that outlives the rekey interval is rekeyed even when no frame is sent or received (SPEC.md §6.2):
 * erasing an idle epoch's keys on time is what the interval's forward secrecy promises. The scheduler never
 * blocks: a tick takes the engine lock only if it is free at once (a busy connection evaluates its own triggers)
 * and hands frames and failures to virtual threads.
 */
final class IdleRekeyTimer {
    /** Ticks per rekey interval: an idle epoch is rekeyed at most a quarter interval late. */
    static final int TICKS_PER_INTERVAL = 4;
    /** The shortest tick period, so that tiny test intervals cannot make the scheduler spin. */
    static final long MIN_PERIOD_NANOS = 10_000_000L;

    private static final ScheduledThreadPoolExecutor SCHEDULER = newScheduler();

    private IdleRekeyTimer() {}

    private static ScheduledThreadPoolExecutor newScheduler() {
        ScheduledThreadPoolExecutor s = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "qsp-idle-rekey-timer");
            t.setDaemon(true);
            return t;
        });
        s.setRemoveOnCancelPolicy(true); // closed connections leave nothing behind in the queue
        return s;
    }

    /**
     * Runs {@code task} once after {@code delayNanos} unless the returned handle is cancelled first (the handshake
     * deadline, SPEC.md §6.2). The task must not block: it hands real work to another thread.
     */
    static ScheduledFuture<?> once(long delayNanos, Runnable task) {
        return SCHEDULER.schedule(task, Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
    }

    /** Runs {@code tick} every quarter of {@code intervalNanos} until the returned handle is cancelled. */
    static ScheduledFuture<?> every(long intervalNanos, Runnable tick) {
        long period = Math.max(MIN_PERIOD_NANOS, intervalNanos / TICKS_PER_INTERVAL);
        return SCHEDULER.scheduleAtFixedRate(tick, period, period, TimeUnit.NANOSECONDS);
    }
}
