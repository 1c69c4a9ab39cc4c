package dev.qsp.bench;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import dev.qsp.bench.net.LoopbackServer;
import dev.qsp.bench.net.Stack;
import dev.qsp.bench.net.Transport;

/**
 * Bulk throughput over one established loopback connection: 256 MiB one way in 16 KiB writes, then one
 * acknowledgement byte from the server once it has read all of them. One operation is one 256 MiB transfer;
 * the report turns its time into MiB/s.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
public class BulkBench {
    public static final long TOTAL = 256L << 20;
    static final int WRITE = 16 << 10;

    @Param({"plain", "sunjsse", "qsp", "qsp-kme"})
    public String stack;

    private Transport transport;
    private LoopbackServer server;
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private final byte[] chunk = new byte[WRITE];

    @Setup
    public void setUp() throws Exception {
        transport = Stack.of(stack).create();
        server = new LoopbackServer(transport, LoopbackServer.Mode.SINK, TOTAL);
        socket = transport.connect(server.port(), "bulk.bench.invalid");
        transport.handshake(socket);
        in = socket.getInputStream();
        out = socket.getOutputStream();
        new java.util.SplittableRandom(1).nextBytes(chunk);
    }

    @TearDown
    public void tearDown() throws Exception {
        try (Transport t = transport; LoopbackServer s = server) {
            socket.close();
        }
    }

    @Benchmark
    public int bulk() throws IOException {
        for (long sent = 0; sent < TOTAL; sent += WRITE) {
            out.write(chunk);
        }
        out.flush();
        int ack = in.read();
        if (ack != 1) {
            throw new EOFException("the server did not acknowledge the " + TOTAL + " bytes (read " + ack + ")");
        }
        return ack;
    }
}
