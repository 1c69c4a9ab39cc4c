package dev.qsp.tunnel;

import dev.qsp.netty.QspHandler;
import dev.qsp.sockets.QspNioEngine;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The running tunnel: one listening channel per {@link Service} and a {@link Relay} per accepted connection, all
 * on one Netty event loop group (SPEC.md §6.8). The QSP leg is a {@link QspHandler} pipeline, the other leg plain
 * TCP; the relay moves bytes with bounded buffers both ways. {@link #close()} stops accepting and ends the open
 * connections (a CLOSE on every QSP leg).
 */
public final class Tunnel implements AutoCloseable {
    /** Per-channel outbound bounds: a relay stops reading one side while the other side holds more than this. */
    static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(64 * 1024, 256 * 1024);
    /** Connect timeout of the outgoing leg. */
    static final int CONNECT_TIMEOUT_MILLIS = 10_000;

    private final EventLoopGroup group;
    private final List<Channel> listeners = new ArrayList<>();
    private final io.netty.channel.group.ChannelGroup connections;
    private final PrintStream log;

    private Tunnel(EventLoopGroup group, PrintStream log) {
        this.group = group;
        this.log = log;
        this.connections = new io.netty.channel.group.DefaultChannelGroup(group.next());
    }

    /**
     * Binds every service and starts accepting; the returned tunnel runs until {@link #close()}. A service that
     * cannot listen on its address fails the call with an {@link IllegalStateException} naming that address and
     * the bind's reason (its cause is the bind's exception, e.g. a {@code java.net.BindException}); the services
     * bound before it are closed.
     *
     * @param services the services to run, each on its own listening channel
     * @param log      where the tunnel writes a line per service it runs and per connection it relays
     * @return the running tunnel
     * @throws InterruptedException     if interrupted while binding (the tunnel is closed)
     * @throws IllegalArgumentException if {@code services} is empty
     * @throws IllegalStateException    if a service cannot listen on its address
     */
    public static Tunnel start(List<Service> services, PrintStream log) throws InterruptedException {
        return start(services, log, 0);
    }

    /** As {@link #start(List, PrintStream)} on {@code threads} event loops (0: Netty's default; tests use 1). */
    static Tunnel start(List<Service> services, PrintStream log, int threads) throws InterruptedException {
        Objects.requireNonNull(log, "log");
        if (services.isEmpty()) throw new IllegalArgumentException("no service to run");
        Tunnel t = new Tunnel(new MultiThreadIoEventLoopGroup(threads, NioIoHandler.newFactory()), log);
        try {
            for (Service s : services) t.listeners.add(t.bind(s));
        } catch (RuntimeException | InterruptedException e) {
            t.close();
            throw e;
        }
        return t;
    }

    private Channel bind(Service s) throws InterruptedException {
        ChannelFuture f = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childOption(ChannelOption.AUTO_READ, false) // nothing is read until the other leg is up
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        connections.add(ch);
                        accepted(s, ch);
                    }
                })
                .bind(s.accept()).await();
        // await, not sync: sync() rethrows the bind's own exception, whose message ("Address already in use")
        // names no address, and a checked BindException would skip start's clean-up of the services bound before
        if (!f.isSuccess()) {
            throw new IllegalStateException("cannot listen on " + Service.show(s.accept()) + ": " + f.cause().getMessage(),
                    f.cause());
        }
        Channel ch = f.channel();
        log.println("tunnel[" + s.name() + "]: " + s.mode().name().toLowerCase(java.util.Locale.ROOT) + " mode, accepting "
                + (s.mode() == Service.Mode.SERVER ? "QSP" : "TCP") + " on " + Service.show((InetSocketAddress) ch.localAddress())
                + ", connecting " + (s.mode() == Service.Mode.SERVER ? "TCP" : "QSP") + " to " + Service.show(s.connect()));
        return ch;
    }

    /**
     * The address a service listens on (its port when it was given as 0).
     *
     * @param service the service's index in the list given to {@link #start(List, PrintStream)}
     * @return the bound local address of that service's listening channel
     */
    public InetSocketAddress address(int service) {
        return (InetSocketAddress) listeners.get(service).localAddress();
    }

    private void accepted(Service s, SocketChannel ch) {
        if (s.mode() == Service.Mode.SERVER) {
            // admission before cost (SPEC.md §4.13, §6.8): the context's gate decides from the address alone,
            // before a relay, an engine or a log line exists; a refused connection is reset and counted
            QspNioEngine nio = s.context().admitServerEngine(ch.remoteAddress().getAddress());
            if (nio == null) {
                ch.config().setOption(ChannelOption.SO_LINGER, 0);
                ch.close();
                return;
            }
            Relay relay = new Relay(s, log);
            QspHandler qsp = new QspHandler(nio);
            ch.pipeline().addLast("qsp", qsp).addLast("relay", relay.qspSide());
            relay.qspAccepted(ch, qsp, () -> connectPlain(s, relay));
        } else {
            Relay relay = new Relay(s, log);
            ch.pipeline().addLast("relay", relay.plainSide());
            relay.plainAccepted(ch);
            connectQsp(s, relay);
        }
    }

    private Bootstrap outgoing(Channel from) {
        return new Bootstrap().group(from.eventLoop()).channel(NioSocketChannel.class)
                .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MILLIS);
    }

    /** Server mode, after the QSP handshake: the plaintext leg to the service. */
    private void connectPlain(Service s, Relay relay) {
        outgoing(relay.qsp()).handler(relay.plainSide()).connect(s.connect()).addListener((ChannelFuture f) -> {
            if (f.isSuccess()) {
                connections.add(f.channel());
                relay.plainConnected(f.channel());
            } else {
                relay.connectFailed(f.cause());
            }
        });
    }

    /** Client mode: the QSP leg to the server tunnel. */
    private void connectQsp(Service s, Relay relay) {
        QspHandler qsp = QspHandler.client(s.context(), s.peerHost());
        outgoing(relay.plain()).handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                ch.pipeline().addLast("qsp", qsp).addLast("relay", relay.qspSide());
            }
        }).connect(s.connect()).addListener((ChannelFuture f) -> {
            if (f.isSuccess()) {
                connections.add(f.channel());
                relay.qspConnected(f.channel(), qsp);
            } else {
                relay.connectFailed(f.cause());
            }
        });
    }

    /** Stops accepting, ends every open connection (QSP legs send their CLOSE) and stops the event loops. */
    @Override
    public void close() throws InterruptedException {
        for (Channel l : listeners) l.close().await(5, TimeUnit.SECONDS);
        connections.close().await(5, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
    }
}
