package dev.qsp.netty;

import static dev.qsp.netty.NettyFixture.await;
import static dev.qsp.netty.NettyFixture.port;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qsp.sockets.QspContext;
import dev.qsp.sockets.QspError;
import dev.qsp.sockets.QspProtocolException;
import dev.qsp.sockets.QspSocket;
import dev.qsp.sockets.engine.RekeyKind;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * {@link QspHandler} against itself and against the blocking sockets: echo both ways with rekeys and
 * half-close, 1 GiB with rekeys of both kinds compared by digest, and the failures (reset, truncation, bad
 * frames) as the pipeline sees them.
 */
class QspHandlerTest {
    private static byte[] data(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** Server side: echoes, pauses reading while the channel is not writable, half-closes after the peer. */
    static final class Echo extends ChannelDuplexHandler {
        final CompletableFuture<Throwable> failure = new CompletableFuture<>();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.write(msg);
            if (!ctx.channel().isWritable()) {
                ctx.flush();
                ctx.channel().config().setAutoRead(false); // backpressure: stop reading until the echo drains
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) { ctx.flush(); }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (ctx.channel().isWritable()) ctx.channel().config().setAutoRead(true);
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt == ChannelInputShutdownEvent.INSTANCE) {
                ctx.flush();
                ctx.pipeline().get(QspHandler.class).closeOutbound().addListener(f -> ctx.close());
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            failure.complete(cause);
            ctx.close();
        }
    }

    /**
     * Client side: once the handshake completes, sends {@code payload} in 256 KiB steps, each after the echo of
     * the previous one arrived (both directions stay open while rekeys run), half-closes after the last step and
     * completes with what came back when the peer's CLOSE arrives.
     */
    static class SendAndCollect extends ChannelInboundHandlerAdapter {
        static final int STEP = 256 * 1024;
        final byte[] payload;
        final ByteArrayOutputStream got = new ByteArrayOutputStream();
        final CompletableFuture<byte[]> done = new CompletableFuture<>();
        final List<QspRekeyEvent> rekeys = new CopyOnWriteArrayList<>();
        int sent;

        SendAndCollect(byte[] payload) { this.payload = payload; }

        private void step(ChannelHandlerContext ctx) {
            if (sent == payload.length) {
                ctx.pipeline().get(QspHandler.class).closeOutbound();
                return;
            }
            int n = Math.min(STEP, payload.length - sent);
            for (int p = sent; p < sent + n; p += 50_000) {
                ctx.write(Unpooled.wrappedBuffer(payload, p, Math.min(50_000, sent + n - p)));
            }
            sent += n;
            ctx.flush();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof QspHandshakeCompletionEvent e && e.isSuccess()) {
                step(ctx);
            } else if (evt instanceof QspRekeyEvent r) {
                rekeys.add(r);
            } else if (evt == ChannelInputShutdownEvent.INSTANCE) {
                done.complete(got.toByteArray());
                ctx.close();
            }
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf b = (ByteBuf) msg;
            try {
                byte[] a = new byte[b.readableBytes()];
                b.readBytes(a);
                got.write(a, 0, a.length);
            } finally {
                b.release();
            }
            if (got.size() == sent) step(ctx);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            done.completeExceptionally(cause);
            ctx.close();
        }
    }

    @Test
    void nettyEchoBothWaysWithRekeysAndHalfClose() throws Exception {
        TestIdentities ids = TestIdentities.get();
        QspContext server = ids.serverContext().rekeyAfterRecords(32).freshRekeys(true).build();
        QspContext client = ids.clientContext().build();
        byte[] payload = data(6 << 20, 1);
        try (NettyFixture f = new NettyFixture()) {
            Echo echo = new Echo();
            Channel s = f.server(server, () -> echo);
            SendAndCollect c = new SendAndCollect(payload);
            Channel ch = f.client(client, port(s), c);
            QspHandler h = ch.pipeline().get(QspHandler.class);
            assertArrayEquals(payload, await(c.done));
            assertEquals("localhost", await(h.handshakeFuture()).peerIdentity());
            assertFalse(c.rekeys.isEmpty(), "the server's record trigger rekeyed under the echo");
            assertTrue(c.rekeys.stream().allMatch(r -> r.kind() == RekeyKind.FRESH));
            ch.closeFuture().sync();
            assertFalse(echo.failure.isDone(), () -> "server saw " + echo.failure.join());
        }
    }

    @Test
    void nettyClientToBlockingServerSocket() throws Exception {
        TestIdentities ids = TestIdentities.get();
        QspContext server = ids.serverContext().rekeyAfterRecords(40).build();
        byte[] payload = data(3 << 20, 2);
        try (NettyFixture f = new NettyFixture();
             ServerSocket ss = server.getServerSocketFactory().createServerSocket(0, 10, InetAddress.getLoopbackAddress());
             ExecutorService t = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<Long> served = t.submit(() -> {
                try (Socket s = ss.accept()) {
                    InputStream in = s.getInputStream();
                    byte[] buf = new byte[30_000];
                    for (int k; (k = in.read(buf)) >= 0; ) s.getOutputStream().write(buf, 0, k);
                    s.shutdownOutput();
                    return ((QspSocket) s).getSession().rekeyCount();
                }
            });
            SendAndCollect c = new SendAndCollect(payload);
            f.client(ids.clientContext().build(), ss.getLocalPort(), c);
            assertArrayEquals(payload, await(c.done));
            assertTrue(await(served) > 0, "the blocking server rekeyed");
        }
    }

    @Test
    void blockingClientToNettyServer() throws Exception {
        TestIdentities ids = TestIdentities.get();
        QspContext server = ids.serverContext().rekeyAfterRecords(40).freshRekeys(true).build();
        byte[] payload = data(3 << 20, 3);
        try (NettyFixture f = new NettyFixture(); ExecutorService t = Executors.newVirtualThreadPerTaskExecutor()) {
            Echo echo = new Echo();
            Channel s = f.server(server, () -> echo);
            try (Socket c = ids.clientContext().build().getSocketFactory().createSocket("localhost", port(s))) {
                ByteArrayOutputStream back = new ByteArrayOutputStream();
                for (int p = 0; p < payload.length; p += 65536) { // each step's echo before the next: rekeys run
                    int k = Math.min(65536, payload.length - p);
                    c.getOutputStream().write(payload, p, k);
                    back.write(c.getInputStream().readNBytes(k));
                }
                c.shutdownOutput();
                assertEquals(-1, c.getInputStream().read(), "the server's CLOSE after the echo");
                assertArrayEquals(payload, back.toByteArray());
                assertTrue(((QspSocket) c).getSession().rekeyCount() > 0);
            }
            assertFalse(echo.failure.isDone(), () -> "server saw " + echo.failure.join());
        }
    }

    /**
     * 1 GiB from a Netty server to a Netty client, the sender pacing itself by {@code isWritable()}; the
     * server's record trigger ratchets every 4096 records and the sender asks for a fresh rekey every 96 MiB, so
     * both kinds happen. Compared by SHA-256 of what was sent and what arrived (no 1 GiB arrays).
     */
    @Test
    void oneGibibyteWithRekeysOfBothKindsArrivesByteExact() throws Exception {
        TestIdentities ids = TestIdentities.get();
        QspContext server = ids.serverContext().rekeyAfterRecords(4096).build();
        long total = 1L << 30;
        byte[] block = data(64 * 1024, 4);
        try (NettyFixture f = new NettyFixture()) {
            CompletableFuture<byte[]> sentDigest = new CompletableFuture<>();
            List<QspRekeyEvent> senderRekeys = new CopyOnWriteArrayList<>();
            java.util.concurrent.atomic.AtomicLong freshStartedAt = new java.util.concurrent.atomic.AtomicLong(-1);
            Channel s = f.server(server, () -> new ChannelInboundHandlerAdapter() {
                final MessageDigest md = sha256();
                long sent;
                long nextFresh = 96L << 20;
                boolean closePending;

                @Override
                public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
                    if (evt instanceof QspHandshakeCompletionEvent) pump(ctx);
                    if (evt instanceof QspRekeyEvent r) {
                        senderRekeys.add(r);
                        // one rekey at a time (SPEC.md §4.10): a fresh one refused while another was in flight is
                        // asked again when that one completes, even after the last byte was queued (on a loaded
                        // machine the whole GiB can be queued before the first ratchet's ACK comes back)
                        QspHandler h = ctx.pipeline().get(QspHandler.class);
                        if (freshStartedAt.get() < 0 && sent >= nextFresh && h.requestRekey(RekeyKind.FRESH)) {
                            freshStartedAt.set(r.rekeyCount());
                        }
                        if (closePending && freshStartedAt.get() >= 0 && r.rekeyCount() > freshStartedAt.get()) {
                            closePending = false;
                            h.closeOutbound(); // the fresh rekey completed (rekeys complete one at a time, in order)
                        }
                    }
                }

                @Override
                public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
                    pump(ctx);
                }

                private void pump(ChannelHandlerContext ctx) throws Exception {
                    QspHandler h = ctx.pipeline().get(QspHandler.class);
                    while (ctx.channel().isWritable() && sent < total) {
                        ByteBuf b = Unpooled.buffer(block.length);
                        b.writeBytes(block);
                        b.setLong(0, sent); // every block differs: reordering or replay would change the digest
                        md.update(b.array(), b.arrayOffset(), block.length);
                        sent += block.length;
                        ctx.write(b);
                        if (sent >= nextFresh && h.requestRekey(RekeyKind.FRESH)) {
                            if (freshStartedAt.get() < 0) freshStartedAt.set(h.engine().session().rekeyCount());
                            nextFresh += 96L << 20;
                        }
                    }
                    ctx.flush();
                    if (sent == total && !sentDigest.isDone()) {
                        sentDigest.complete(md.digest());
                        // close once a fresh rekey has completed (else the rekey event above closes)
                        long lastCount = senderRekeys.isEmpty() ? 0 : senderRekeys.getLast().rekeyCount();
                        if (freshStartedAt.get() >= 0 && lastCount > freshStartedAt.get()) h.closeOutbound();
                        else closePending = true;
                    }
                }

                @Override
                public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                    sentDigest.completeExceptionally(cause);
                }
            });
            CompletableFuture<byte[]> gotDigest = new CompletableFuture<>();
            long[] received = new long[1];
            List<QspRekeyEvent> receiverRekeys = new CopyOnWriteArrayList<>();
            f.client(ids.clientContext().build(), port(s), new ChannelInboundHandlerAdapter() {
                final MessageDigest md = sha256();

                @Override
                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    ByteBuf b = (ByteBuf) msg;
                    received[0] += b.readableBytes();
                    md.update(b.nioBuffer());
                    b.release();
                }

                @Override
                public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                    if (evt instanceof QspRekeyEvent r) receiverRekeys.add(r);
                    if (evt == ChannelInputShutdownEvent.INSTANCE) {
                        gotDigest.complete(md.digest());
                        ctx.close();
                    }
                }

                @Override
                public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                    gotDigest.completeExceptionally(cause);
                }
            });
            byte[] want = await(sentDigest);
            assertArrayEquals(want, await(gotDigest), "the digest of what arrived equals the digest of what was sent");
            assertEquals(total, received[0]);
            // The sender's events come once per batch of engine work too, showing the latest rekey's kind: the first
            // rekey is the record trigger's ratchet (64 MiB, before the first fresh one is due at 96 MiB), and a
            // rekey completed after the fresh one started (rekeys run one at a time, in order) means it completed
            assertEquals(RekeyKind.RATCHET, senderRekeys.getFirst().kind(), senderRekeys::toString);
            assertTrue(freshStartedAt.get() >= 0, "the sender started a fresh rekey");
            assertTrue(senderRekeys.getLast().rekeyCount() > freshStartedAt.get(), senderRekeys::toString);
            // The receiver followed every rekey: it decrypted the whole GiB byte-exact across all the sender's
            // epochs. Its events come once per batch of engine work (a batch may cover several rekeys and shows
            // only the last one's kind), so only their existence is asserted, not one per kind.
            assertFalse(receiverRekeys.isEmpty(), "the receiver saw rekeys");
            // The receiver never counts more rekeys than the sender (a rekey may also cross the close: the sender
            // half-closed while a fresh rekey's key sources completed, SPEC.md §4.15, so it sent no REKEY_COMMIT).
            long sent = senderRekeys.getLast().rekeyCount();
            long got = receiverRekeys.getLast().rekeyCount();
            assertTrue(got <= sent && got > 0, "sender " + sent + " rekeys, receiver " + got);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void peerResetDuringHandshakeFailsTheHandshakeFuture() throws Exception {
        TestIdentities ids = TestIdentities.get();
        try (NettyFixture f = new NettyFixture();
             ServerSocket plain = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
             ExecutorService t = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<Integer> resetter = t.submit(() -> {
                Socket s = plain.accept();
                int first = s.getInputStream().read(); // the ClientHello has arrived
                s.setSoLinger(true, 0);
                s.close(); // RST
                return first;
            });
            SendAndCollect c = new SendAndCollect(new byte[0]);
            Channel ch = f.client(ids.clientContext().build(), plain.getLocalPort(), c);
            QspHandler h = ch.pipeline().get(QspHandler.class);
            assertTrue(await(resetter) >= 0);
            Throwable cause = h.handshakeFuture().await().cause();
            assertNotNull(cause, "the handshake fails");
            assertInstanceOf(IOException.class, cause);
            ch.closeFuture().sync();
            Throwable seen = c.done.handle((v, e) -> e).get();
            assertNotNull(seen, "exceptionCaught saw the failure");
        }
    }

    @Test
    void finWithoutCloseIsTruncated() throws Exception {
        TestIdentities ids = TestIdentities.get();
        try (NettyFixture f = new NettyFixture()) {
            Echo echo = new Echo();
            Channel s = f.server(ids.serverContext().build(), () -> echo);
            try (Socket plain = new Socket(InetAddress.getLoopbackAddress(), port(s));
                 Socket q = ((dev.qsp.sockets.QspSocketFactory) ids.clientContext().build().getSocketFactory())
                         .createSocket(plain, "localhost", port(s), false)) {
                q.getOutputStream().write("hello".getBytes(StandardCharsets.US_ASCII));
                assertArrayEquals("hello".getBytes(StandardCharsets.US_ASCII), q.getInputStream().readNBytes(5));
                plain.shutdownOutput(); // TCP FIN under QSP, without the CLOSE frame
                QspProtocolException e = assertInstanceOf(QspProtocolException.class, await(echo.failure));
                assertEquals(QspError.TRUNCATED, e.error());
                assertFalse(e.isRemote());
            }
        }
    }

    @Test
    void garbageInsteadOfAHelloIsAProtocolErrorAndTheConnectionCloses() throws Exception {
        TestIdentities ids = TestIdentities.get();
        try (NettyFixture f = new NettyFixture()) {
            Echo echo = new Echo();
            Channel s = f.server(ids.serverContext().build(), () -> echo);
            try (Socket plain = new Socket(InetAddress.getLoopbackAddress(), port(s))) {
                plain.getOutputStream().write("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                QspProtocolException e = assertInstanceOf(QspProtocolException.class, await(echo.failure));
                assertEquals(QspError.UNKNOWN_FRAME_TYPE, e.error(), e::getMessage);
                plain.getInputStream().readAllBytes(); // the server's CLOSE, then end of stream: it closed
            }
        }
    }

    /** Flips one byte of the next frame it passes on, once armed (sits between QspHandler and the socket). */
    static final class Tamper extends ChannelOutboundHandlerAdapter {
        volatile boolean armed;

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            if (armed && msg instanceof ByteBuf b && b.readableBytes() > 20) {
                armed = false;
                int at = b.readerIndex() + b.readableBytes() - 1; // inside the AEAD tag
                b.setByte(at, b.getByte(at) ^ 0x01);
            }
            ctx.write(msg, promise);
        }
    }

    @Test
    void tamperedFrameIsRejectedAndBothSidesSeeTheReason() throws Exception {
        TestIdentities ids = TestIdentities.get();
        try (NettyFixture f = new NettyFixture()) {
            Echo echo = new Echo();
            Channel s = f.server(ids.serverContext().build(), () -> echo);
            Tamper tamper = new Tamper();
            SendAndCollect c = new SendAndCollect(new byte[0]) {
                @Override
                public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                    if (evt instanceof QspHandshakeCompletionEvent) {
                        tamper.armed = true;
                        ctx.writeAndFlush(Unpooled.copiedBuffer("tampered", StandardCharsets.US_ASCII));
                    }
                }
            };
            QspContext client = ids.clientContext().build();
            f.clientWith(port(s), ch -> ch.pipeline().addLast(tamper).addLast(QspHandler.client(client, "localhost")).addLast(c));
            QspProtocolException local = assertInstanceOf(QspProtocolException.class, await(echo.failure));
            assertEquals(QspError.BAD_RECORD_MAC, local.error());
            Throwable remote = c.done.handle((v, e) -> e).get(NettyFixture.TIMEOUT_SECONDS, java.util.concurrent.TimeUnit.SECONDS);
            QspProtocolException r = assertInstanceOf(QspProtocolException.class, remote);
            assertEquals(QspError.BAD_RECORD_MAC, r.error());
            assertTrue(r.isRemote(), "the client learnt the reason from the server's CLOSE");
        }
    }

    static InetSocketAddress loopback(int port) { return new InetSocketAddress(InetAddress.getLoopbackAddress(), port); }
}
