package dev.qsp.bench.scale;

import dev.qsp.bench.net.TlsContexts;
import dev.qsp.netty.QspHandler;
import dev.qsp.sockets.QspContext;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Future;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;

/**
 * The client JVM of {@code ./qsp bench scale}: Netty clients (QSP or SunJSSE TLS 1.3, the same client for either
 * kind of server) that handshake and then stay idle. On stdin {@code open <n>} opens n connections, at most 64
 * handshakes at a time, and answers {@code done opened=<n> failed=<n>}; everything stays open until stdin ends.
 * <p>Usage: {@code ScaleClient qsp|tls <port> <qsp.p12> <tls.p12>}
 */
public final class ScaleClient {
    private ScaleClient() {
    }

    public static void main(String[] args) throws Exception {
        boolean qsp = args[0].equals("qsp");
        InetSocketAddress target = new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(args[1]));
        QspContext q = Stores.qspClient(Path.of(args[2]));
        SSLContext tls = Stores.tls(Path.of(args[3]));
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        List<Channel> held = new ArrayList<>();
        BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = commands.readLine()) != null) {
            int n = Integer.parseInt(line.trim().split("\\s+")[1]);
            Semaphore inFlight = new Semaphore(64);
            AtomicInteger ok = new AtomicInteger();
            AtomicInteger failed = new AtomicInteger();
            for (int i = 0; i < n; i++) {
                inFlight.acquire();
                Future<?>[] handshake = new Future<?>[1];
                ChannelFuture cf = new Bootstrap().group(group).channel(NioSocketChannel.class)
                        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 60_000)
                        .handler(new ChannelInitializer<SocketChannel>() {
                            @Override
                            protected void initChannel(SocketChannel ch) {
                                if (qsp) {
                                    QspHandler h = QspHandler.client(q, "localhost");
                                    handshake[0] = h.handshakeFuture();
                                    ch.pipeline().addLast(h);
                                } else {
                                    SSLEngine e = tls.createSSLEngine("localhost", target.getPort());
                                    e.setUseClientMode(true);
                                    TlsContexts.restrictSunJsse(e);
                                    SslHandler h = new SslHandler(e);
                                    handshake[0] = h.handshakeFuture();
                                    ch.pipeline().addLast(h);
                                }
                            }
                        }).connect(target);
                held.add(cf.channel());
                cf.addListener(c -> {
                    if (!c.isSuccess()) {
                        failed.incrementAndGet();
                        inFlight.release();
                        return;
                    }
                    handshake[0].addListener(h -> {
                        if (h.isSuccess()) ok.incrementAndGet();
                        else failed.incrementAndGet();
                        inFlight.release();
                    });
                });
            }
            inFlight.acquire(64); // every handshake has ended
            inFlight.release(64);
            System.out.println("done opened=" + ok.get() + " failed=" + failed.get());
        }
        System.exit(0); // the driver is done: the connections end with the JVM (held only so that none is collected)
    }
}
