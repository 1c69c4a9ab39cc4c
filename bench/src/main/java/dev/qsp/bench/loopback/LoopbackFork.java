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
 * connection for the echo row), then each round measures every stack in every row: the handshake and echo rows
 * with the stacks interleaved operation by operation ({@link #interleaved}), the throughput rows as one window per
 * stack and client count; the parts of a round in an order shuffled per round from the seed, so that whatever
 * else the machine is doing falls on all stacks alike and position in the round favours none. Warm-up rounds are
 * the same rounds, not recorded. Writes the raw samples as JSON for {@link LoopbackSuite} to aggregate.
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
    @Option(names = "--warmup", defaultValue = "8")
    int warmup;
    @Option(names = "--stacks", split = ",", defaultValue = "plain,sunjsse,bcjsse,qsp")
    List<String> stacks;
    @Option(names = "--throughput-stacks", split = ",", defaultValue = "qsp,bcjsse")
    List<String> throughputStacks;
    @Option(names = "--handshake-ms", defaultValue = "300")
    int handshakeMillis;
    @Option(names = "--echo-ms", defaultValue = "250")
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
        tasks.add(new Task(Kind.HANDSHAKE, null)); // every stack, turn by turn (interleaved)
        tasks.add(new Task(Kind.ECHO, null));
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
            // Warm-up: at least --warmup rounds, then on until a round in which the JIT's compiler threads used
            // under 5% of the process's CPU (at most 2 x --warmup rounds): on a loaded machine the compiler threads
            // get little CPU and would otherwise still be compiling, and billing their CPU to whichever stack runs,
            // when the measured rounds begin.
            int warmed = 0;
            double share = 0;
            while (warmed < warmup || (warmed < 2 * warmup && share >= JIT_QUIET)) {
                int w = ++warmed;
                share = jitShare(() -> round(-w, tasks, setups, order));
            }
            warmupRounds = warmed;
            warmupJitShare = share;
            System.out.printf("loopback: fork %d warmed up in %d rounds (JIT %.1f%% of the last), %.0f s%n", fork,
                    warmed, 100 * share, (System.nanoTime() - start) / 1e9);
            long jit0 = JitCpu.nanos();
            long cpu0 = ProcessCpu.nanos();
            for (int r = 0; r < rounds; r++) {
                samples.addAll(round(r, tasks, setups, order));
                if ((r + 1) % 10 == 0 || r == rounds - 1) {
                    System.out.printf("loopback: fork %d round %d of %d, %.0f s%n", fork, r + 1, rounds,
                            (System.nanoTime() - start) / 1e9);
                }
            }
            measuredJitShare = share(jit0, cpu0);
        } finally {
            for (Setup s : setups.values()) {
                s.close();
            }
        }
        write(samples);
        return 0;
    }

    /**
     * Echo round trips per stack per turn: 256, a few ms, so that a turn in which the process was descheduled is
     * one of many and the round's wall median stays put (turns of 1,024 made the echo wall rows' ± 19-36%). The
     * process CPU clock does not include what a thread running on the other core has used since its last tick
     * (Linux accounts it at ticks and switches), so one reading can lag by up to a tick and charge one stack's
     * CPU to the next stack's turn; CPU summed over the round's turns rather than taken per turn, over 250 ms of
     * echoes per stack per round, keeps that lag a small part of the figure (over 100 ms, the echo CPU rows' ±
     * was 16-19% on a quiet machine).
     */
    static final int ECHO_BATCH = 256;

    /**
     * One latency row of one round, every stack turn by turn: in each turn every stack (in an order shuffled per
     * turn) does one handshake, or a batch of {@link #ECHO_BATCH} echoes, timed by the wall clock and the process
     * CPU clock; turns go on until the row's time (its slice per stack times the number of stacks) has passed. So
     * the stacks' operations are milliseconds apart and whatever the machine does meanwhile falls on all of them
     * alike, which a slice per stack (hundreds of ms apart) does not give on a shared machine. The round's wall
     * figure is the median over its turns (a turn in which the process was descheduled for tens of ms counts as
     * one turn); its CPU figure is the CPU of all its turns (net of the JIT) over their operations.
     */
    private List<Sample> interleaved(int round, Kind kind, Map<String, Setup> setups, Random order) throws IOException {
        List<Setup> list = new ArrayList<>(setups.values());
        int n = list.size();
        long[] ops = new long[n];
        long[] cpu = new long[n];
        List<List<Double>> wall = new ArrayList<>();
        List<Integer> turn = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            turn.add(i);
            wall.add(new ArrayList<>());
        }
        int batch = kind == Kind.ECHO ? ECHO_BATCH : 1;
        long budget = (kind == Kind.ECHO ? echoMillis : handshakeMillis) * 1_000_000L * n;
        long end = System.nanoTime() + budget;
        do {
            Collections.shuffle(turn, order);
            for (int i : turn) {
                Setup s = list.get(i);
                long j0 = JitCpu.nanos();
                long c0 = ProcessCpu.nanos();
                long t0 = System.nanoTime();
                for (int b = 0; b < batch; b++) {
                    if (kind == Kind.ECHO) {
                        echo(s);
                    } else {
                        s.handshakeOnce();
                    }
                }
                long t1 = System.nanoTime();
                long c1 = ProcessCpu.nanos();
                long j1 = JitCpu.nanos();
                ops[i] += batch;
                wall.get(i).add((t1 - t0) / 1e3 / batch);
                cpu[i] += (c1 - c0) - (j1 - j0);
            }
        } while (System.nanoTime() < end);
        List<Sample> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            list.get(i).server.check();
            out.add(new Sample(fork, round, kind, list.get(i).name, ops[i], Stats.of(wall.get(i)).median(),
                    Math.max(0, cpu[i]) / 1e3 / ops[i]));
        }
        return out;
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
    /** A warm-up round counts as quiet when the JIT used less than this share of the process's CPU. */
    static final double JIT_QUIET = 0.05;

    private int warmupRounds;
    private double warmupJitShare;
    private double measuredJitShare;

    private interface Round {
        void run() throws Exception;
    }

    /** Runs one round; returns the JIT compiler threads' CPU time meanwhile as a share of the process's. */
    private static double jitShare(Round round) throws Exception {
        long j0 = JitCpu.nanos();
        long c0 = ProcessCpu.nanos();
        round.run();
        return share(j0, c0);
    }

    /** The compiler threads' CPU since {@code j0} as a share of the process's CPU since {@code c0} (0 without them). */
    private static double share(long j0, long c0) {
        long j1 = JitCpu.nanos();
        long c1 = ProcessCpu.nanos();
        return c1 <= c0 ? 0 : (j1 - j0) / (double) (c1 - c0);
    }

    /** One round: the two latency rows and every throughput window, in an order shuffled from the seed. */
    private List<Sample> round(int r, List<Task> tasks, Map<String, Setup> setups, Random order) throws Exception {
        List<Task> round = new ArrayList<>(tasks);
        Collections.shuffle(round, order);
        List<Sample> out = new ArrayList<>();
        for (Task task : round) {
            if (task.stack() == null) {
                out.addAll(interleaved(r, task.kind(), setups, order));
            } else {
                out.add(concurrent(r, task, setups.get(task.stack())));
            }
        }
        return out;
    }

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
        long jit0 = JitCpu.nanos();
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
        long jit1 = JitCpu.nanos();
        stop.set(true);
        for (Thread t : threads) {
            t.join();
        }
        if (failure.get() != null) {
            throw new IOException(s.name + " client failed: " + failure.get(), failure.get());
        }
        s.server.check();
        long ops = h1 - h0;
        return new Sample(fork, round, task.kind(), task.stack(), ops, task.kind().value(ops, t1 - t0),
                Math.max(0, (cpu1 - cpu0) - (jit1 - jit0)) / 1e3 / ops);
    }

    private void write(List<Sample> samples) throws IOException {
        ObjectMapper m = new ObjectMapper();
        ObjectNode root = m.createObjectNode();
        root.put("fork", fork).put("cpu_clock", ProcessCpu.source() + (JitCpu.available() ? ", minus the "
                + JitCpu.threads() + " JIT compiler threads' CPU clocks" : ", JIT compiler threads included")).put("warmup_rounds", warmupRounds)
                .put("warmup_last_jit_share", warmupJitShare).put("measured_jit_share", measuredJitShare);
        ArrayNode a = root.putArray("samples");
        for (Sample s : samples) {
            a.addObject().put("fork", s.fork()).put("round", s.round()).put("row", s.kind().id())
                    .put("stack", s.stack()).put("ops", s.ops()).put("value", s.value())
                    .put("cpu_us", s.cpuMicros());
        }
        m.writerWithDefaultPrettyPrinter().writeValue(out.toFile(), root);
    }
}
