package dev.qsp.sockets;

import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads that run the blocking shell's delegated key-source tasks (SPEC.md §4.15, §6.1): daemon platform
 * threads, created on demand and ended after 30 s idle. Platform rather than virtual threads: a key-source task
 * is where the first connection of a JVM initializes JCA, Bouncy Castle and HTTP client classes, and a virtual
 * thread waiting for a class initializer holds its carrier; with as many carriers as cores (two here), a few
 * such waits stall every virtual thread of the process, the handshakes' and readers' included. A connection has
 * at most one task outstanding, and the admission gate bounds the handshakes (§4.13), so the pool needs no bound
 * of its own.
 */
final class KeySourceThreads {
    private static final AtomicInteger COUNT = new AtomicInteger();
    private static final ThreadPoolExecutor POOL = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS,
            new SynchronousQueue<>(), r -> {
                Thread t = new Thread(r, "qsp-key-source-" + COUNT.incrementAndGet());
                t.setDaemon(true);
                return t;
            });

    private KeySourceThreads() {
    }

    static void execute(Runnable task) {
        POOL.execute(task);
    }
}
