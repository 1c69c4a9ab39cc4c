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
 * A 64-byte echo round trip over one established loopback connection (TCP_NODELAY on both ends): the client
 * writes 64 bytes, flushes, and reads the 64 bytes the server writes back.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class EchoBench {
    static final int SIZE = 64;

    @Param({"plain", "sunjsse", "qsp", "qsp-kme"})
    public String stack;

    private Transport transport;
    private LoopbackServer server;
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private final byte[] message = new byte[SIZE];
    private final byte[] reply = new byte[SIZE];

    @Setup
    public void setUp() throws Exception {
        transport = Stack.of(stack).create();
        server = new LoopbackServer(transport, LoopbackServer.Mode.ECHO, 0);
        socket = transport.connect(server.port(), "echo.bench.invalid");
        transport.handshake(socket);
        in = socket.getInputStream();
        out = socket.getOutputStream();
        for (int i = 0; i < SIZE; i++) {
            message[i] = (byte) i;
        }
    }

    @TearDown
    public void tearDown() throws Exception {
        try (Transport t = transport; LoopbackServer s = server) {
            socket.close();
        }
    }

    @Benchmark
    public byte[] echo() throws IOException {
        out.write(message);
        out.flush();
        int off = 0;
        while (off < SIZE) {
            int n = in.read(reply, off, SIZE - off);
            if (n < 0) {
                throw new EOFException("echo server closed after " + off + " of " + SIZE + " bytes");
            }
            off += n;
        }
        if (reply[SIZE - 1] != message[SIZE - 1]) {
            throw new IOException("echo returned different bytes");
        }
        return reply;
    }
}
