package dev.qsp.sockets;

import dev.qsp.sockets.engine.EngineObserver;
import dev.qsp.sockets.engine.FrameType;
import dev.qsp.sockets.engine.KeySourceEntry;
import dev.qsp.sockets.engine.KeySourceInfo;
import dev.qsp.sockets.engine.QspEngine;
import dev.qsp.sockets.engine.RekeyKind;
import dev.qsp.sockets.engine.RekeyMessage;
import dev.qsp.sockets.engine.SessionInfo;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * The {@link EngineObserver} of one connection (SPEC.md §6.6): fans each engine event out to the debug log (the
 * enabled categories only), the JFR events (only while a recording wants them) and the context's counters. Only
 * public facts reach it; the traffic keys go to the key log, never here.
 */
final class ConnectionObserver implements EngineObserver {
    private static final System.Logger.Level DEBUG = System.Logger.Level.DEBUG;
    private static final String[] MESSAGE_NAMES = {"?", "ClientHello", "ServerHello", "Certificate", "CertificateVerify", "Finished"};

    private final ContextObserver ctx;
    private String role = "?";
    /** The first 8 hex digits of the ClientHello random, or dashes until it is known. */
    private String label = "--------";

    ConnectionObserver(ContextObserver ctx) {
        this.ctx = ctx;
    }

    @Override
    public boolean observesFrames() { return ctx.recordLog != null; }

    @Override
    public boolean observesMessages() { return ctx.handshakeLog != null || ctx.rekeyLog != null; }

    @Override
    public void started(QspEngine.Role r) {
        role = r.name().toLowerCase(Locale.ROOT);
    }

    @Override
    public void clientRandom(byte[] random) {
        label = HexFormat.of().formatHex(random, 0, 4);
    }

    private void debug(System.Logger log, String what) {
        if (log != null && log.isLoggable(DEBUG)) log.log(DEBUG, role + " " + label + ": " + what);
    }

    @Override
    public void frame(boolean sent, FrameType type, int epoch, long seq, int length) {
        if (ctx.recordLog != null && ctx.recordLog.isLoggable(DEBUG)) {
            debug(ctx.recordLog, (sent ? "sent " : "received ") + type + " epoch " + Integer.toUnsignedString(epoch)
                    + " seq " + Long.toUnsignedString(seq) + ", " + length + " bytes");
        }
    }

    @Override
    public void handshakeMessage(boolean sent, int type, int length) {
        if (ctx.handshakeLog != null && ctx.handshakeLog.isLoggable(DEBUG)) {
            String name = type < MESSAGE_NAMES.length ? MESSAGE_NAMES[type] : "message type " + type;
            debug(ctx.handshakeLog, (sent ? "sent " : "received ") + name + ", " + length + " bytes");
        }
    }

    @Override
    public void rekeyMessage(boolean sent, RekeyMessage m) {
        if (ctx.rekeyLog != null && ctx.rekeyLog.isLoggable(DEBUG)) {
            debug(ctx.rekeyLog, (sent ? "sent " : "received ") + describe(m));
        }
    }

    /** A rekey message's fields (SPEC.md §4.10): names, kinds, epochs, source ids and sizes, all public. */
    static String describe(RekeyMessage m) {
        return switch (m) {
            case RekeyMessage.Request r -> "REKEY_REQUEST " + kind(r.kind());
            case RekeyMessage.Init i -> "REKEY_INIT " + kind(i.kind()) + ", next epoch " + Integer.toUnsignedString(i.nextEpoch())
                    + (i.offers().isEmpty() ? "" : ", offers " + entries(i.offers()));
            case RekeyMessage.Ack a -> "REKEY_ACK, next epoch " + Integer.toUnsignedString(a.nextEpoch())
                    + (a.replies().isEmpty() ? "" : ", replies " + entries(a.replies()));
            case RekeyMessage.Commit c -> "REKEY_COMMIT, epoch " + Integer.toUnsignedString(c.nextEpoch());
        };
    }

    private static String entries(List<KeySourceEntry> list) {
        StringBuilder b = new StringBuilder("[");
        for (KeySourceEntry e : list) {
            if (b.length() > 1) b.append(", ");
            b.append(e.sourceId()).append(' ').append(e.data().length).append(" bytes");
        }
        return b.append(']').toString();
    }

    private static String kind(RekeyKind k) { return k.name().toLowerCase(Locale.ROOT); }

    @Override
    public void handshakeComplete(QspEngine.Role r, SessionInfo s, long nanos) {
        ctx.metrics.handshakesCompleted.increment();
        ctx.metrics.open.increment();
        QspEvents.Handshake e = new QspEvents.Handshake();
        if (e.shouldCommit()) {
            e.connection = label;
            e.role = role;
            e.handshakeTime = nanos;
            e.outcome = "completed";
            e.suite = s.aead().displayName();
            e.kem = s.kem();
            e.signature = s.serverSignature().jcaName();
            e.keySources = String.join(",", s.keySources());
            e.peerIdentity = s.peerIdentity();
            e.commit();
        }
        if (ctx.handshakeLog != null && ctx.handshakeLog.isLoggable(DEBUG)) {
            debug(ctx.handshakeLog, "handshake complete in " + nanos / 1_000_000 + " ms: " + s.suite() + ", peer "
                    + (s.peerIdentity() == null ? "anonymous" : s.peerIdentity()) + ", key sources " + s.keySources());
        }
        if (ctx.keySourceLog != null && ctx.keySourceLog.isLoggable(DEBUG)) {
            for (KeySourceInfo k : s.keySourceInfo()) debug(ctx.keySourceLog, "handshake key source " + k);
        }
    }

    @Override
    public void rekeyComplete(QspEngine.Role r, RekeyKind kind, int newEpoch, long nanos, List<KeySourceInfo> fresh) {
        (kind == RekeyKind.FRESH ? ctx.metrics.fresh : ctx.metrics.ratchets).increment();
        QspEvents.Rekey e = new QspEvents.Rekey();
        if (e.shouldCommit()) {
            e.connection = label;
            e.role = role;
            e.kind = kind(kind);
            e.newEpoch = Integer.toUnsignedLong(newEpoch);
            e.rekeyTime = nanos;
            e.commit();
        }
        if (ctx.rekeyLog != null && ctx.rekeyLog.isLoggable(DEBUG)) {
            debug(ctx.rekeyLog, "rekey complete: " + kind(kind) + " to epoch " + Integer.toUnsignedString(newEpoch)
                    + " in " + nanos / 1_000_000 + " ms");
        }
        if (ctx.keySourceLog != null && ctx.keySourceLog.isLoggable(DEBUG)) {
            for (KeySourceInfo k : fresh) debug(ctx.keySourceLog, "epoch " + Integer.toUnsignedString(newEpoch) + " key source " + k);
        }
    }

    @Override
    public void failed(QspEngine.Role r, QspProtocolException error, Phase phase) {
        String key = (error.isRemote() ? "remote:" : "local:") + error.error().name();
        if (phase == Phase.HANDSHAKE) {
            ctx.metrics.handshakeFailed(key);
        } else {
            ctx.metrics.connectionFailed(key);
        }
        String ph = phase.name().toLowerCase(Locale.ROOT);
        QspEvents.Failure f = new QspEvents.Failure();
        if (f.shouldCommit()) {
            f.connection = label;
            f.role = role;
            f.code = error.error().name();
            f.remote = error.isRemote();
            f.phase = ph;
            f.message = error.detail();
            f.commit();
        }
        if (phase == Phase.HANDSHAKE) {
            QspEvents.Handshake e = new QspEvents.Handshake();
            if (e.shouldCommit()) {
                e.connection = label;
                e.role = role;
                e.outcome = "failed: " + error.error().name();
                e.commit();
            }
        }
        System.Logger log = switch (phase) {
            case HANDSHAKE -> ctx.handshakeLog;
            case REKEY -> ctx.rekeyLog;
            case TRAFFIC -> ctx.recordLog;
        };
        if (log != null && log.isLoggable(DEBUG)) {
            debug(log, ph + " failed, " + (error.isRemote() ? "reported by the peer: " : "locally: ") + error.error()
                    + ": " + error.detail());
        }
    }

    @Override
    public void applicationData(boolean sent, int bytes) {
        (sent ? ctx.metrics.bytesSent : ctx.metrics.bytesReceived).add(bytes);
    }

    @Override
    public void ended(boolean handshakeCompleted) {
        if (handshakeCompleted) ctx.metrics.open.decrement();
        debug(ctx.handshakeLog, "connection ended, keys erased");
    }
}
