package dev.qsp.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

import dev.qsp.bench.net.Stack;
import dev.qsp.bench.net.Transport;

/**
 * Memory per idle connection: opens {@code count} loopback connections of one stack, completes the handshake on
 * both ends, keeps both ends open and idle (no thread reads them), and reports the growth of the heap used
 * after a full GC, divided by the number of connections. Both ends live in this JVM, so the figure is the
 * client's plus the server's state of one connection. Twenty connections are opened and closed first so that
 * class loading and caches count in the baseline, not per connection.
 * <p>
 * Usage: {@code IdleMemory <stack> [count]}; prints {@code idle_bytes_per_connection=<n>}. Run it in a JVM of
 * its own (BenchSuite does).
 */
public final class IdleMemory {
    private IdleMemory() {
    }

    public static void main(String[] args) throws Exception {
        Stack stack = Stack.of(args[0]);
        int count = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        try (Transport transport = stack.create(); ServerSocket listener = transport.listen()) {
            closeAll(open(transport, listener, 20));
            long before = heapAfterGc();
            List<Socket> idle = open(transport, listener, count);
            long after = heapAfterGc();
            System.out.println("stack=" + args[0]);
            System.out.println("connections=" + count);
            System.out.println("idle_bytes_per_connection=" + (after - before) / count);
            closeAll(idle);
        }
    }

    /** Opens n connections, the server ends handshaking on one thread while this one runs the client ends. */
    private static List<Socket> open(Transport transport, ServerSocket listener, int n) throws Exception {
        BlockingQueue<Object> accepted = new ArrayBlockingQueue<>(n + 1);
        Thread server = Thread.ofPlatform().name("idle-accept").start(() -> {
            for (int i = 0; i < n; i++) {
                try {
                    Socket s = listener.accept();
                    transport.handshake(s);
                    accepted.add(s);
                } catch (Exception e) {
                    accepted.add(e);
                    return;
                }
            }
        });
        List<Socket> sockets = new ArrayList<>(2 * n);
        for (int i = 0; i < n; i++) {
            Socket c = transport.connect(listener.getLocalPort(), "idle-" + i + ".bench.invalid");
            transport.handshake(c);
            sockets.add(c);
        }
        server.join();
        for (Object o : accepted) {
            if (o instanceof Exception e) {
                throw new IllegalStateException("server end failed: " + e, e);
            }
            sockets.add((Socket) o);
        }
        if (sockets.size() != 2 * n) {
            throw new IllegalStateException("opened " + sockets.size() + " ends, expected " + 2 * n);
        }
        return sockets;
    }

    private static void closeAll(List<Socket> sockets) {
        for (Socket s : sockets) {
            try {
                s.setSoLinger(true, 0);
                s.close();
            } catch (Exception ignored) {
                // Closing an idle test connection: nothing to report.
            }
        }
    }

    static long heapAfterGc() throws InterruptedException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        // Several collections: the first may leave objects with finalizer-like cleanup (Cleaner) for the next.
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(50);
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
