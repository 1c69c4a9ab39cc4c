package dev.qsp.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qsp.keysources.KeySource;
import dev.qsp.keysources.KeySourceException;
import dev.qsp.keysources.kem.HybridKemSource;
import dev.qsp.sockets.QspContext;
import dev.qsp.sockets.QspError;
import dev.qsp.sockets.QspHandshakeException;
import dev.qsp.sockets.QspSocket;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Admission control in the Netty shell (SPEC.md §4.13, §6.2, §6.7): {@code QspHandler.server(context)} passes the
 * context's gate before any engine exists. The server runs on one event loop, so accepted connections are
 * admitted in arrival order; every wait is for an event (an accept, a close, a handshake's end), never a sleep.
 */
class NettyAdmissionTest {
    private static final InetAddress A = address("127.0.0.1");
    private static final InetAddress B = address("127.0.0.2");

    private static InetAddress address(String s) {
        try {
            return InetAddress.getByName(s);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** The server's KEM, counting its encapsulations: the first key the server generates for a connection. */
    static final class CountingKem implements KeySource {
        final KeySource kem = HybridKemSource.xWing();
        final AtomicInteger responses = new AtomicInteger();

        @Override
        public String id() { return kem.id(); }

        @Override
        public Slot slot() { return kem.slot(); }

        @Override
        public Initiation initiate() throws KeySourceException { return kem.initiate(); }

        @Override
        public Response respond(byte[] offer) throws KeySourceException {
            responses.incrementAndGet();
            return kem.respond(offer);
        }
    }

    /** A Netty echo server on one event loop; {@link #handlers} gets each accepted channel's QspHandler in order. */
    private static final class Server implements AutoCloseable {
        final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        final LinkedBlockingQueue<QspHandler> handlers = new LinkedBlockingQueue<>();
        final Channel channel;

        Server(QspContext ctx) throws InterruptedException {
            channel = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            QspHandler h = QspHandler.server(ctx);
                            ch.pipeline().addLast("qsp", h).addLast("echo", new ChannelInboundHandlerAdapter() {
                                @Override
                                public void channelRead(ChannelHandlerContext c, Object msg) {
                                    c.writeAndFlush(msg);
                                }

                                @Override
                                public void exceptionCaught(ChannelHandlerContext c, Throwable cause) {
                                    // the failures the tests assert arrive through handshakeFuture()
                                }
                            });
                            handlers.add(h); // admission was decided when the handler was added
                        }
                    })
                    .bind(new InetSocketAddress(A, 0)).sync().channel();
        }

        int port() { return ((InetSocketAddress) channel.localAddress()).getPort(); }

        QspHandler next() throws InterruptedException {
            QspHandler h = handlers.poll(NettyFixture.TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (h == null) throw new AssertionError("no connection accepted");
            return h;
        }

        @Override
        public void close() throws InterruptedException {
            channel.close().sync();
            group.shutdownGracefully(0, 5, TimeUnit.SECONDS).sync();
        }
    }

    /** The future once it has completed (a broken test fails after the fixture's timeout). */
    private static <T> io.netty.util.concurrent.Future<T> settled(io.netty.util.concurrent.Future<T> f) throws InterruptedException {
        if (!f.await(NettyFixture.TIMEOUT_SECONDS, TimeUnit.SECONDS)) throw new AssertionError("not completed: " + f);
        return f;
    }

    private static Socket silent(InetAddress from, int port) throws IOException {
        Socket s = new Socket();
        s.bind(new InetSocketAddress(from, 0));
        s.connect(new InetSocketAddress(A, port));
        return s;
    }

    /** The server closed this connection without a byte: end of stream, or a reset. */
    private static void assertClosedByServer(Socket s) throws IOException {
        s.setSoTimeout((int) TimeUnit.SECONDS.toMillis(NettyFixture.TIMEOUT_SECONDS));
        InputStream in = s.getInputStream();
        try {
            assertEquals(-1, in.read());
        } catch (SocketException reset) {
            assertTrue(reset.getMessage().contains("reset"), reset.getMessage());
        }
    }

    private static void echoOnce(QspContext client, int port) throws IOException {
        try (QspSocket c = (QspSocket) client.getSocketFactory().createSocket("127.0.0.1", port)) {
            byte[] hello = "admitted".getBytes(StandardCharsets.US_ASCII);
            c.getOutputStream().write(hello);
            byte[] back = c.getInputStream().readNBytes(hello.length);
            assertEquals("admitted", new String(back, StandardCharsets.US_ASCII));
        }
    }

    @Test
    void aConnectionOverTheCapIsClosedBeforeAnyKeyIsGenerated() throws Exception {
        TestIdentities ids = TestIdentities.get();
        CountingKem kem = new CountingKem();
        QspContext ctx = ids.serverContext().keySources(kem).maxHandshakes(2).helloTimeout(Duration.ofMinutes(5)).build();
        try (Server server = new Server(ctx); Socket s1 = silent(A, server.port()); Socket s2 = silent(A, server.port())) {
            QspHandler h1 = server.next();
            QspHandler h2 = server.next();
            assertEquals(2, ctx.admissionGate().inFlight());
            // a real client, over the cap: its connection is reset before the server reads its ClientHello
            QspContext client = ids.clientContext().build();
            assertThrows(IOException.class, () -> echoOnce(client, server.port()));
            QspHandler over = server.next();
            assertTrue(over.isRefused());
            assertNull(over.engine(), "no engine for a refused connection");
            assertInstanceOf(java.nio.channels.ClosedChannelException.class,
                    settled(over.handshakeFuture()).cause());
            assertEquals(1, ctx.admissionGate().rejectedTotal());
            assertEquals(2, ctx.admissionGate().inFlight());
            assertEquals(0, kem.responses.get(), "no key generated for anyone yet");
            s1.close(); // its handshake fails (truncated) and gives its place back
            Throwable cause = settled(h1.handshakeFuture()).cause();
            assertEquals(QspError.TRUNCATED, assertInstanceOf(QspHandshakeException.class, cause).error());
            assertEquals(1, ctx.admissionGate().inFlight());
            echoOnce(client, server.port());
            QspHandler served = server.next();
            settled(served.handshakeFuture());
            assertTrue(served.handshakeFuture().isSuccess());
            assertEquals(1, kem.responses.get());
            assertEquals(1, ctx.admissionGate().inFlight(), "the served client's place was given back");
            assertTrue(h2.engine().holdsAdmission());
        }
    }

    @Test
    void aLegitimateClientIsServedWhileTheCapIsFullOfSilentPeers() throws Exception {
        TestIdentities ids = TestIdentities.get();
        QspContext ctx = ids.serverContext().maxHandshakes(100).maxHandshakesPerAddress(3)
                .helloTimeout(Duration.ofMinutes(5)).build();
        List<Socket> peers = new ArrayList<>();
        try (Server server = new Server(ctx)) {
            for (int i = 0; i < 3; i++) {
                peers.add(silent(B, server.port()));
                server.next();
            }
            try (Socket over = silent(B, server.port())) {
                assertClosedByServer(over);
            }
            assertTrue(server.next().isRefused());
            assertEquals(1, ctx.admissionGate().rejectedPerAddress());
            assertEquals(3, ctx.admissionGate().inFlight(B));
            echoOnce(ids.clientContext().build(), server.port()); // from 127.0.0.1
            QspHandler served = server.next();
            assertTrue(settled(served.handshakeFuture()).isSuccess());
            assertEquals(3, ctx.admissionGate().inFlight());
        } finally {
            for (Socket p : peers) p.close();
        }
    }

    @Test
    void theHelloDeadlineIsATickOnTheEventLoopAndFreesThePlace() throws Exception {
        TestIdentities ids = TestIdentities.get();
        QspContext ctx = ids.serverContext().maxHandshakes(1).helloTimeout(Duration.ofMillis(300)).build();
        try (Server server = new Server(ctx); Socket peer = silent(A, server.port())) {
            QspHandler h = server.next();
            Throwable cause = settled(h.handshakeFuture()).cause();
            QspHandshakeException e = assertInstanceOf(QspHandshakeException.class, cause);
            assertEquals(QspError.HANDSHAKE_TIMEOUT, e.error());
            assertEquals("no complete ClientHello within 300 ms", e.detail());
            assertEquals(0, ctx.admissionGate().inFlight());
            // the peer gets the unprotected CLOSE with the reason, then the end of the stream
            peer.setSoTimeout((int) TimeUnit.SECONDS.toMillis(NettyFixture.TIMEOUT_SECONDS));
            byte[] got = peer.getInputStream().readAllBytes();
            assertTrue(got.length > 0, "a CLOSE frame before the end");
            echoOnce(ids.clientContext().build(), server.port());
            assertTrue(settled(server.next().handshakeFuture()).isSuccess());
            assertEquals(0, ctx.admissionGate().rejectedTotal());
        }
    }
}
