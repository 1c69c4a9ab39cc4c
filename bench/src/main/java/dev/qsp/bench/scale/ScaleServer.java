package dev.qsp.bench.scale;

import dev.qsp.bench.net.TlsContexts;
import dev.qsp.netty.QspHandler;
import dev.qsp.netty.QspHandshakeCompletionEvent;
import dev.qsp.sockets.QspContext;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * The server JVM of {@code ./qsp bench scale}: on 127.0.0.1, one of
 * <ul>
 *   <li>{@code qsp-netty}: Netty 4.2 NIO, {@code QspHandler.server(context)} then an echo handler;</li>
 *   <li>{@code tls-netty}: the same with Netty's {@code SslHandler} over a SunJSSE {@code SSLEngine} (TLS 1.3);</li>
 *   <li>{@code qsp-blocking}: {@code QspServerSocket}, a virtual thread per connection blocked in {@code read};</li>
 *   <li>{@code tls-blocking}: SunJSSE's {@code SSLServerSocket} in the same pattern.</li>
 * </ul>
 * Prints {@code port=<n>}; on stdin {@code heap} prints {@code heap=<bytes used after full GCs>
 * direct=<Netty's direct memory in use> open=<connections whose handshake completed>}.
 * <p>Usage: {@code ScaleServer <mode> <qsp.p12> <tls.p12> <cap>}
 */
public final class ScaleServer {
    private static final AtomicInteger OPEN = new AtomicInteger();

    private ScaleServer() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        QspContext qsp = Stores.qspServer(Path.of(args[1]), Integer.parseInt(args[3]));
        SSLContext tls = Stores.tls(Path.of(args[2]));
        int port = switch (mode) {
            case "qsp-netty", "tls-netty" -> netty(mode.startsWith("qsp") ? qsp : null, tls);
            case "qsp-blocking" -> blocking(qsp.getServerSocketFactory().createServerSocket(0, 4096, InetAddress.getLoopbackAddress()));
            case "tls-blocking" -> {
                SSLServerSocket ss = (SSLServerSocket) tls.getServerSocketFactory().createServerSocket(0, 4096, InetAddress.getLoopbackAddress());
                ss.setSSLParameters(TlsContexts.sunJsseParameters(ss.getSSLParameters()));
                yield blocking(ss);
            }
            default -> throw new IllegalArgumentException("mode is qsp-netty, tls-netty, qsp-blocking or tls-blocking, got " + mode);
        };
        System.out.println("port=" + port);
        BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = commands.readLine()) != null) {
            if (line.equals("heap")) {
                long heap = heapAfterGc();
                long direct = ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider m ? m.metric().usedDirectMemory() : -1;
                System.out.println("heap=" + heap + " direct=" + direct + " open=" + OPEN.get());
            }
        }
        System.exit(0);
    }

    private static int netty(QspContext qsp, SSLContext tls) throws InterruptedException {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        return ((InetSocketAddress) new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .option(io.netty.channel.ChannelOption.SO_BACKLOG, 4096)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (qsp != null) {
                            ch.pipeline().addLast(QspHandler.server(qsp));
                        } else {
                            SSLEngine e = tls.createSSLEngine();
                            e.setUseClientMode(false);
                            TlsContexts.restrictSunJsse(e);
                            ch.pipeline().addLast(new SslHandler(e));
                        }
                        ch.pipeline().addLast(new Echo());
                    }
                })
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel().localAddress()).getPort();
    }

    /** Counts completed handshakes and echoes (the connections stay idle: nothing is sent). */
    static final class Echo extends ChannelInboundHandlerAdapter {
        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof QspHandshakeCompletionEvent q && q.isSuccess()
                    || evt instanceof SslHandshakeCompletionEvent s && s.isSuccess()) {
                OPEN.incrementAndGet();
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.writeAndFlush(msg);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    private static int blocking(ServerSocket server) {
        Thread.ofPlatform().name("scale-accept").start(() -> {
            while (true) {
                try {
                    Socket s = server.accept();
                    Thread.ofVirtual().start(() -> serve(s));
                } catch (Exception e) {
                    System.out.println("accept-error=" + e);
                }
            }
        });
        return server.getLocalPort();
    }

    /** Handshake, then a read pending for the connection's life, as a thread-per-connection server has it. */
    private static void serve(Socket s) {
        try (s) {
            if (s instanceof SSLSocket t) t.startHandshake();
            else ((dev.qsp.sockets.QspSocket) s).startHandshake();
            OPEN.incrementAndGet();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[512];
            int n;
            while ((n = in.read(buf)) >= 0) s.getOutputStream().write(buf, 0, n);
        } catch (Exception e) {
            // the client went away
        }
    }

    static long heapAfterGc() throws InterruptedException {
        var memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(200); // reference processing and the Cleaner between collections
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
