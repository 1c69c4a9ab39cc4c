package dev.qsp.bench;

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
 * Handshake latency over loopback, a new connection each time: TCP connect, the client's full handshake (no
 * session resumption), then close with a reset so that no TIME_WAIT socket is left behind. The server completes
 * its side of each handshake on its own thread. For {@code plain} this is the TCP connect alone.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class HandshakeBench {
    @Param({"plain", "sunjsse", "qsp", "qsp-kme"})
    public String stack;

    private Transport transport;
    private LoopbackServer server;
    private long connections;

    @Setup
    public void setUp() throws Exception {
        transport = Stack.of(stack).create();
        server = new LoopbackServer(transport, LoopbackServer.Mode.DRAIN, 0);
    }

    @TearDown
    public void tearDown() throws Exception {
        try (Transport t = transport) {
            server.close();
        }
    }

    @Benchmark
    public Socket handshake() throws Exception {
        Socket s = transport.connect(server.port(), "peer-" + (connections++) + ".bench.invalid");
        transport.handshake(s);
        s.setSoLinger(true, 0);
        s.close();
        return s;
    }
}
