package dev.qsp.tunnel;

import dev.qsp.netty.QspHandler;
import dev.qsp.netty.QspHandshakeCompletionEvent;
import dev.qsp.sockets.QspProtocolException;
import dev.qsp.sockets.QspSession;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.ReferenceCountUtil;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * One tunnelled connection: a QSP leg and a plain TCP leg on the same event loop, and the bytes between them
 * (SPEC.md §6.8). Backpressure both ways: a leg stops reading while the other leg's outbound buffer is above its
 * high water mark and resumes when it drains, so each direction holds at most about one water mark plus one read.
 * Half-close both ways: the peer's CLOSE becomes a FIN on the plain leg, a FIN on the plain leg becomes a CLOSE
 * (then FIN) on the QSP leg. When both directions have ended, or either leg fails, both legs close and one log line
 * says who the peer was, what was negotiated, the bytes each way and how the connection ended. Event loop only.
 */
final class Relay {
    private final Service service;
    private final PrintStream log;
    private Channel qsp;
    private Channel plain;
    private QspHandler handler;
    private Runnable onHandshake;
    private final List<Object> early = new ArrayList<>();
    private QspSession session;
    private long qspToPlain;
    private long plainToQsp;
    private boolean qspInEnded;
    private boolean plainInEnded;
    private boolean qspOutEnded;
    private boolean plainOutEnded;
    private String failure;
    private boolean logged;
    private InetSocketAddress peer;

    Relay(Service service, PrintStream log) {
        this.service = service;
        this.log = log;
    }

    Channel qsp() { return qsp; }

    Channel plain() { return plain; }

    ChannelHandler qspSide() { return new Side(true); }

    ChannelHandler plainSide() { return new Side(false); }

    /** Server mode: the QSP leg was accepted; {@code connect} opens the plain leg once the handshake completes. */
    void qspAccepted(Channel ch, QspHandler h, Runnable connect) {
        qsp = ch;
        handler = h;
        onHandshake = connect;
        peer = (InetSocketAddress) ch.remoteAddress();
        qsp.closeFuture().addListener(f -> legClosed());
    }

    /** Client mode: the plain leg was accepted (it is read once the QSP handshake completes). */
    void plainAccepted(Channel ch) {
        plain = ch;
        peer = (InetSocketAddress) ch.remoteAddress();
        plain.closeFuture().addListener(f -> legClosed());
    }

    /** Client mode: the QSP leg is connected (its handler runs the handshake). */
    void qspConnected(Channel ch, QspHandler h) {
        qsp = ch;
        handler = h;
        qsp.closeFuture().addListener(f -> legClosed());
        if (!plain.isActive()) qsp.close();
    }

    /** Server mode: the plain leg to the service is connected: start moving bytes. */
    void plainConnected(Channel ch) {
        plain = ch;
        plain.closeFuture().addListener(f -> legClosed());
        if (!qsp.isActive()) {
            plain.close();
            return;
        }
        for (Object m : early) forward(true, m);
        early.clear();
        plain.flush();
        qsp.config().setAutoRead(true);
        plain.config().setAutoRead(true);
    }

    void connectFailed(Throwable cause) {
        fail("cannot connect to " + Service.show(service.connect()) + ": " + describe(cause));
    }

    private void handshakeDone(QspSession s) {
        session = s;
        if (onHandshake != null) {
            onHandshake.run(); // server mode: now connect to the service
        } else {
            qsp.config().setAutoRead(true);
            plain.config().setAutoRead(true);
        }
    }

    private void forward(boolean fromQsp, Object msg) {
        Channel to = fromQsp ? plain : qsp;
        if (to == null) {
            early.add(msg); // plaintext that came with the handshake's last read, before the service answered
            return;
        }
        int n = msg instanceof ByteBuf b ? b.readableBytes() : 0;
        if (fromQsp) qspToPlain += n;
        else plainToQsp += n;
        to.write(msg, to.voidPromise());
    }

    /** The peer of {@code fromQsp}'s leg will send nothing more: pass the half-close on to the other leg. */
    private void inputEnded(boolean fromQsp) {
        if (fromQsp) {
            qspInEnded = true;
            if (plain == null) {
                fail("the QSP peer closed before the service connection was up");
                return;
            }
            // the FIN after everything already written: writes complete in order
            plain.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener((ChannelFutureListener) f -> {
                if (!f.isSuccess()) {
                    fail("writing to the service failed: " + describe(f.cause()));
                    return;
                }
                ((DuplexChannel) plain).shutdownOutput().addListener(x -> {
                    plainOutEnded = true;
                    maybeDone();
                });
            });
        } else {
            plainInEnded = true;
            if (qsp == null || handler.session() == null) {
                fail("the TCP peer closed before the QSP handshake completed");
                return;
            }
            qsp.flush();
            handler.closeOutbound().addListener(f -> {
                if (!f.isSuccess()) {
                    fail("sending the CLOSE failed: " + describe(f.cause()));
                    return;
                }
                qspOutEnded = true;
                maybeDone();
            });
        }
        maybeDone();
    }

    private void maybeDone() {
        if (qspInEnded && plainInEnded && qspOutEnded && plainOutEnded) closeBoth();
    }

    private void fail(String why) {
        if (failure == null) failure = why;
        closeBoth();
    }

    private void closeBoth() {
        for (Object m : early) ReferenceCountUtil.release(m);
        early.clear();
        if (qsp != null) qsp.close(); // QspHandler sends its CLOSE first
        if (plain != null) plain.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        legClosed();
    }

    /** Logs once, when every leg that was opened has closed. */
    private void legClosed() {
        if (logged) return;
        if (qsp != null && qsp.isOpen()) return;
        if (plain != null && plain.isOpen()) return;
        if (qsp != null && plain != null && !(qspInEnded && plainInEnded) && failure == null) {
            failure = "closed before both directions ended";
        }
        if (qsp == null || plain == null) {
            if (failure == null) failure = "closed before both legs were up";
        }
        logged = true;
        log.println(logLine());
    }

    private String logLine() {
        StringBuilder b = new StringBuilder("tunnel[").append(service.name()).append("] ");
        b.append(peer == null ? "?" : Service.show(peer)).append(service.mode() == Service.Mode.SERVER ? " (QSP) -> " : " (TCP) -> ")
                .append(Service.show(service.connect())).append(service.mode() == Service.Mode.SERVER ? " (TCP)" : " (QSP)");
        if (session != null) {
            QspSession s = handler.session() != null ? handler.session() : session;
            b.append(": peer ").append(s.peerIdentity() == null ? "anonymous" : s.peerIdentity())
                    .append(", suite ").append(s.suite())
                    .append(", key sources ").append(s.keySources())
                    .append(", rekeys ").append(s.rekeyCount());
        } else {
            b.append(": no handshake");
        }
        b.append("; bytes QSP->TCP ").append(qspToPlain).append(", TCP->QSP ").append(plainToQsp);
        b.append("; ended ").append(failure == null ? "cleanly (CLOSE_NOTIFY and FIN both ways)" : failure);
        return b.toString();
    }

    private static String describe(Throwable t) {
        if (t instanceof QspProtocolException q) {
            return (q.isRemote() ? "peer reported " : "") + q.error() + " (" + q.getMessage() + ")";
        }
        String m = t.getMessage();
        return t.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }

    /** One leg's handler: forwards reads to the other leg and reports the leg's events to the relay. */
    private final class Side extends ChannelInboundHandlerAdapter {
        private final boolean isQsp;

        Side(boolean isQsp) { this.isQsp = isQsp; }

        private Channel other() { return isQsp ? plain : qsp; }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (failure != null) {
                ReferenceCountUtil.release(msg);
                return;
            }
            forward(isQsp, msg);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            Channel to = other();
            if (to == null) return;
            to.flush();
            if (!to.isWritable()) ctx.channel().config().setAutoRead(false); // resumes in channelWritabilityChanged
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            Channel from = other();
            if (ctx.channel().isWritable() && from != null && from.isActive() && !(isQsp ? plainInEnded : qspInEnded)) {
                from.config().setAutoRead(true);
            }
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof QspHandshakeCompletionEvent e) {
                if (e.isSuccess()) handshakeDone(e.session());
            } else if (evt == ChannelInputShutdownEvent.INSTANCE) {
                ctx.channel().config().setAutoRead(false);
                inputEnded(isQsp);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            fail((isQsp ? "QSP leg: " : "TCP leg: ") + describe(cause));
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (!(isQsp ? qspInEnded : plainInEnded) && failure == null) {
                fail((isQsp ? "the QSP leg" : "the TCP leg") + " closed before its peer ended its direction");
            } else if (!(qspInEnded && plainInEnded && qspOutEnded && plainOutEnded)) {
                closeBoth();
            }
            legClosed();
        }
    }
}
