package dev.qsp.bench.loopback;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.qsp.bench.BenchCli;
import dev.qsp.bench.net.Stack;
import dev.qsp.bench.net.Transport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * One fork (JVM) of {@code ./qsp bench loopback}: every stack is set up once (its server, and one established
 * connection for the echo row), then each round measures every stack in every row for a fixed time slice, in an
 * order shuffled per round from the seed, so that whatever else the machine is doing falls on all stacks alike
 * and position in the round favours none. Warm-up rounds are the same rounds, not recorded. Writes the raw
 * samples as JSON for {@link LoopbackSuite} to aggregate.
 */
@Command(name = "loopback-fork", description = "One fork of the round-robin loopback harness (run by qsp bench loopback).")
public final class LoopbackFork implements Callable<Integer> {
    @Option(names = "--target", required = true, description = "bench/target (classes/ and bcjsse-lib/).")
    Path target;
    @Option(names = "--out", required = true, description = "Raw samples (JSON).")
    Path out;
    @Option(names = "--fork", defaultValue = "0")
    int fork;
    @Option(names = "--rounds", defaultValue = "45")
    int rounds;
    @Option(names = "--warmup", defaultValue = "6")
    int warmup;
    @Option(names = "--stacks", split = ",", defaultValue = "plain,sunjsse,bcjsse,qsp")
    List<String> stacks;
    @Option(names = "--throughput-stacks", split = ",", defaultValue = "qsp,bcjsse")
    List<String> throughputStacks;
    @Option(names = "--handshake-ms", defaultValue = "300")
    int handshakeMillis;
    @Option(names = "--echo-ms", defaultValue = "100")
    int echoMillis;
    @Option(names = "--throughput-ms", defaultValue = "600")
    int throughputMillis;
    @Option(names = "--seed", defaultValue = "1")
    long seed;

    /** A stack set up for the run: its server and the echo row's established connection. */
    private static final class Setup implements AutoCloseable {
        final String name;
        final Transport transport;
        final MeteredServer server;
        final Socket echo;
        final InputStream echoIn;
        final OutputStream echoOut;
        final AtomicLong peers = new AtomicLong();

        Setup(String name, Transport transport) throws IOException {
            this.name = name;
            this.transport = transport;
            this.server = new MeteredServer(transport);
            this.echo = transport.connect(server.port(), "echo.bench.invalid");
            transport.handshake(echo);
            echoIn = echo.getInputStream();
            echoOut = echo.getOutputStream();
            ready(echoIn);
        }

        /** Connect, full handshake (never resumed: a fresh peer name), the server's first byte, reset. */
        void handshakeOnce() throws IOException {
            Socket s = transport.connect(server.port(), "peer-" + peers.incrementAndGet() + ".bench.invalid");
            try {
                transport.handshake(s);
                ready(s.getInputStream());
                s.setSoLinger(true, 0); // reset: no TIME_WAIT socket per handshake
            } finally {
                s.close();
            }
        }

        @Override
        public void close() throws IOException {
            try (Transport t = transport; MeteredServer s = server) {
                echo.close();
            }
        }
    }

    private static void ready(InputStream in) throws IOException {
        int b = in.read();
        if (b != MeteredServer.READY) {
            throw new IOException(b < 0 ? "the server closed before its first byte" : "unexpected first byte " + b);
        }
    }

    private record Task(Kind kind, String stack) {
    }

    public static void main(String[] args) {
        System.exit(BenchCli.commandLine(new LoopbackFork(), System.out, System.err).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Map<String, Setup> setups = new LinkedHashMap<>();
        List<Task> tasks = new ArrayList<>();
        for (String s : stacks) {
            tasks.add(new Task(Kind.HANDSHAKE, s));
            tasks.add(new Task(Kind.ECHO, s));
        }
        for (String s : throughputStacks) {
            if (!stacks.contains(s)) {
                throw new IllegalArgumentException("throughput stack " + s + " is not among --stacks " + stacks);
            }
            tasks.add(new Task(Kind.HANDSHAKES_2, s));
            tasks.add(new Task(Kind.HANDSHAKES_8, s));
        }
        List<Sample> samples = new ArrayList<>();
        try {
            for (String s : stacks) {
                Transport t = s.equals("bcjsse") ? BcJsseLoader.create(target) : Stack.of(s).create();
                setups.put(s, new Setup(s, t));
            }
            Random order = new Random(seed);
            long start = System.nanoTime();
            for (int r = -warmup; r < rounds; r++) {
                List<Task> round = new ArrayList<>(tasks);
                Collections.shuffle(round, order);
                for (Task task : round) {
                    Sample sample = slice(r, task, setups.get(task.stack()));
                    if (r >= 0) {
                        samples.add(sample);
                    }
                }
                if ((r + 1) % 10 == 0 || r == rounds - 1 || r == -1) {
                    System.out.printf("loopback: fork %d round %d of %d (%d warm-up), %.0f s%n", fork, r + 1, rounds,
                            warmup, (System.nanoTime() - start) / 1e9);
                }
            }
        } finally {
            for (Setup s : setups.values()) {
                s.close();
            }
        }
        write(samples);
        return 0;
    }

    private Sample slice(int round, Task task, Setup s) throws Exception {
        Sample sample = switch (task.kind()) {
            case HANDSHAKE -> timed(round, task, handshakeMillis, s::handshakeOnce);
            case ECHO -> timed(round, task, echoMillis, () -> echo(s));
            case HANDSHAKES_2, HANDSHAKES_8 -> concurrent(round, task, s);
        };
        s.server.check();
        return sample;
    }

    private interface Op {
        void run() throws IOException;
    }

    /** Runs {@code op} back to back on this thread until {@code millis} have passed (at least once). */
    private Sample timed(int round, Task task, int millis, Op op) throws IOException {
        long cpu0 = ProcessCpu.nanos();
        long t0 = System.nanoTime();
        long end = t0 + millis * 1_000_000L;
        long ops = 0;
        long now;
        do {
            op.run();
            ops++;
            now = System.nanoTime();
        } while (now < end);
        long cpu1 = ProcessCpu.nanos();
        return new Sample(fork, round, task.kind(), task.stack(), ops, now - t0, cpu1 - cpu0);
    }

    private final byte[] message = message();
    private final byte[] reply = new byte[64];

    private static byte[] message() {
        byte[] m = new byte[64];
        for (int i = 0; i < m.length; i++) {
            m[i] = (byte) i;
        }
        return m;
    }

    private void echo(Setup s) throws IOException {
        s.echoOut.write(message);
        s.echoOut.flush();
        int off = 0;
        while (off < reply.length) {
            int n = s.echoIn.read(reply, off, reply.length - off);
            if (n < 0) {
                throw new EOFException("echo server closed after " + off + " of " + reply.length + " bytes");
            }
            off += n;
        }
        if (reply[63] != message[63] || reply[0] != message[0]) {
            throw new IOException(s.name + ": echo returned different bytes");
        }
    }

    /**
     * {@code clients} threads handshake back to back (each as {@link Setup#handshakeOnce}) while the window runs;
     * the figure is the handshakes the server completed inside the window, per second of the window.
     */
    private Sample concurrent(int round, Task task, Setup s) throws Exception {
        int clients = task.kind().clients();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch started = new CountDownLatch(clients);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            threads.add(Thread.ofPlatform().name("loopback-client-" + i).daemon().start(() -> {
                started.countDown();
                try {
                    while (!stop.get()) {
                        s.handshakeOnce();
                    }
                } catch (IOException | RuntimeException e) {
                    failure.compareAndSet(null, e);
                }
            }));
        }
        started.await();
        long h0 = s.server.handshakes();
        long cpu0 = ProcessCpu.nanos();
        long t0 = System.nanoTime();
        Thread.sleep(throughputMillis); // the window: the clients do the work, this thread only marks its ends
        // On a heavily loaded machine a window can end before the server completed any handshake; it is held open
        // until the server has completed two per client, so every window's figure is defined and the handshakes in
        // flight at its two ends (at most one per client) are a bounded fraction of it.
        while (s.server.handshakes() - h0 < 2L * clients && failure.get() == null) {
            s.server.check();
            Thread.sleep(2);
        }
        long h1 = s.server.handshakes();
        long t1 = System.nanoTime();
        long cpu1 = ProcessCpu.nanos();
        stop.set(true);
        for (Thread t : threads) {
            t.join();
        }
        if (failure.get() != null) {
            throw new IOException(s.name + " client failed: " + failure.get(), failure.get());
        }
        return new Sample(fork, round, task.kind(), task.stack(), h1 - h0, t1 - t0, cpu1 - cpu0);
    }

    private void write(List<Sample> samples) throws IOException {
        ObjectMapper m = new ObjectMapper();
        ObjectNode root = m.createObjectNode();
        root.put("fork", fork).put("cpu_clock", ProcessCpu.source());
        ArrayNode a = root.putArray("samples");
        for (Sample s : samples) {
            a.addObject().put("fork", s.fork()).put("round", s.round()).put("row", s.kind().id())
                    .put("stack", s.stack()).put("ops", s.ops()).put("wall_ns", s.wallNanos())
                    .put("cpu_ns", s.cpuNanos());
        }
        m.writerWithDefaultPrettyPrinter().writeValue(out.toFile(), root);
    }
}
