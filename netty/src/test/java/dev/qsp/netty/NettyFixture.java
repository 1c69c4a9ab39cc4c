package dev.qsp.netty;

import dev.qsp.sockets.QspContext;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** One event loop group for a test, Netty QSP servers and clients on 127.0.0.1 (half-closure allowed). */
final class NettyFixture implements AutoCloseable {
    static final long TIMEOUT_SECONDS = 300; // bounds a broken test; never paces one

    final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());

    /** A server whose every accepted channel gets {@code QspHandler.server(context)} and then {@code app}. */
    Channel server(QspContext context, Supplier<ChannelHandler> app) throws InterruptedException {
        return new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast("qsp", QspHandler.server(context)).addLast("app", app.get());
                    }
                })
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
    }

    /** A client channel to {@code port} with {@code QspHandler.client(context, "localhost")} and then {@code app}. */
    Channel client(QspContext context, int port, ChannelHandler app) throws InterruptedException {
        return clientWith(port, ch -> ch.pipeline().addLast("qsp", QspHandler.client(context, "localhost")).addLast("app", app));
    }

    Channel clientWith(int port, java.util.function.Consumer<SocketChannel> init) throws InterruptedException {
        return new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        init.accept(ch);
                    }
                })
                .connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port)).sync().channel();
    }

    static int port(Channel server) { return ((InetSocketAddress) server.localAddress()).getPort(); }

    static <T> T await(CompletableFuture<T> f) throws Exception {
        return f.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    static <T> T await(java.util.concurrent.Future<T> f) throws Exception {
        return f.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).sync();
    }
}
