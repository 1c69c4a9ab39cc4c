package dev.qsp.sockets;

import dev.qsp.keysources.KeySource;
import dev.qsp.keysources.kem.HybridKemSource;
import dev.qsp.sockets.engine.AeadSuite;
import dev.qsp.sockets.engine.Frames;
import dev.qsp.sockets.engine.QspEngine;
import dev.qsp.sockets.engine.QspEngineConfig;
import dev.qsp.sockets.engine.RekeyKind;
import dev.qsp.sockets.engine.RekeyPolicy;
import dev.qsp.sockets.engine.SessionInfo;
import dev.qsp.sockets.engine.SignatureScheme;
import java.io.IOException;
import java.net.SocketException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link Core} over {@link QspEngine}: maps a {@link QspContext} to the engine's configuration and keeps the
 * shell's sends below the engine's hard record limit ({@link QspEngine#recordsBeforeHardLimit()}), so that a
 * writer waits for a rekey instead of failing.
 */
final class EngineCore implements Core {
    /** Thread-safe; seeded by the platform, as JSSE shares one per SSLContext. */
    private static final SecureRandom SHARED_RANDOM = new SecureRandom();

    private final QspEngine engine;

    private EngineCore(QspEngine engine) {
        this.engine = engine;
    }

    /**
     * An engine for one connection.
     *
     * @throws QspHandshakeException ({@code INTERNAL}) if the engine refuses the configuration, e.g. a PKIX
     *         client without an expected server identity
     */
    static Core create(QspContext ctx, boolean client, String expectedPeerIdentity) throws QspHandshakeException {
        try {
            // a server's configuration is the same for every connection: built once per context, and one shared
            // SecureRandom, so an accepted connection costs no per-connection copies of either (SPEC.md §4.13)
            // ... but each connection has an observer of its own (SPEC.md §6.6)
            QspEngineConfig config = client ? engineConfig(ctx, expectedPeerIdentity)
                    : ctx.serverEngineConfig().withObserver(ctx.observer().connection());
            SecureRandom random = ctx.random() != null ? ctx.random() : SHARED_RANDOM;
            QspEngine e = client ? QspEngine.client(config, random) : QspEngine.server(config, random);
            return new EngineCore(e);
        } catch (IllegalArgumentException e) {
            throw new QspHandshakeException(QspError.INTERNAL, "cannot start the handshake: " + e.getMessage(), false, e);
        }
    }

    /** The engine configuration a context stands for (SPEC.md §6.5 lists the defaults). */
    static QspEngineConfig engineConfig(QspContext ctx, String expectedPeerIdentity) {
        QspEngineConfig.Builder b = QspEngineConfig.builder()
                .identity(ctx.identity())
                .trust(ctx.trust())
                .expectedPeerIdentity(expectedPeerIdentity)
                .requireClientAuth(ctx.clientAuth() == QspContext.ClientAuth.REQUIRED)
                .handshakeTimeoutNanos(ctx.handshakeTimeout().toNanos())
                .helloTimeoutNanos(ctx.helloTimeout().toNanos())
                .delegatedTasks(true) // key sources never run under the engine lock (SPEC.md §6.1)
                .rekeyPolicy(rekeyPolicy(ctx))
                .observer(ctx.observer().connection())
                .keyLog(ctx.observer().keyLog);
        if (!ctx.suites().isEmpty()) b.aeadSuites(aeadSuites(ctx.suites()));
        if (!ctx.signatureAlgorithms().isEmpty()) b.signatureSchemes(signatureSchemes(ctx.signatureAlgorithms()));
        if (!ctx.keySources().isEmpty()) {
            List<KeySource> sources = new ArrayList<>(ctx.keySources());
            if (sources.stream().noneMatch(s -> s.slot() == KeySource.Slot.KEM)) sources.addFirst(HybridKemSource.xWing());
            b.keySources(sources);
        }
        return b.build();
    }

    static RekeyPolicy rekeyPolicy(QspContext ctx) {
        RekeyPolicy p = RekeyPolicy.DEFAULT.withAutomaticKind(ctx.freshRekeys() ? RekeyKind.FRESH : RekeyKind.RATCHET);
        if (ctx.rekeyAfterRecords() > 0) p = p.withRecordLimit(ctx.rekeyAfterRecords());
        if (ctx.rekeyAfterBytes() > 0) p = p.withByteLimit(ctx.rekeyAfterBytes());
        if (!ctx.rekeyInterval().isZero()) p = p.withTimeLimitNanos(ctx.rekeyInterval().toNanos());
        if (ctx.hardRecordLimit() > 0) p = p.withHardRecordLimit(ctx.hardRecordLimit());
        // §4.10: a client's fresh request is the server's to grant
        p = p.withClientFreshAllowed(ctx.clientFreshRekeys()).withMinClientFreshIntervalNanos(ctx.minFreshRekeyInterval().toNanos());
        return p;
    }

    /** AEAD names as SPEC.md §4.2 spells them, case-insensitive: {@code AES-256-GCM}, {@code ChaCha20-Poly1305}. */
    static List<AeadSuite> aeadSuites(List<String> names) {
        List<AeadSuite> out = new ArrayList<>();
        for (String n : names) {
            AeadSuite found = null;
            for (AeadSuite s : AeadSuite.values()) {
                if (s.displayName().equalsIgnoreCase(n) || s.name().equalsIgnoreCase(n)) found = s;
            }
            if (found == null) throw new IllegalArgumentException("unknown suite '" + n + "' (known: " + aeadNames() + ")");
            out.add(found);
        }
        return out;
    }

    static List<String> aeadNames() {
        List<String> out = new ArrayList<>();
        for (AeadSuite s : AeadSuite.values()) out.add(s.displayName());
        return out;
    }

    /** Signature algorithm names as the JCA spells them: {@code ML-DSA-65}, {@code SLH-DSA-SHA2-128S}, ... */
    static List<SignatureScheme> signatureSchemes(List<String> names) {
        List<SignatureScheme> out = new ArrayList<>();
        for (String n : names) {
            SignatureScheme found = null;
            for (SignatureScheme s : SignatureScheme.values()) {
                if (s.jcaName().equalsIgnoreCase(n) || s.name().equalsIgnoreCase(n.replace('-', '_'))) found = s;
            }
            if (found == null) {
                List<String> known = new ArrayList<>();
                for (SignatureScheme s : SignatureScheme.values()) known.add(s.jcaName());
                throw new IllegalArgumentException("unknown signature algorithm '" + n + "' (known: " + known + ")");
            }
            out.add(found);
        }
        return out;
    }

    @Override
    public void start(long nowNanos) throws IOException { engine.start(nowNanos); }

    @Override
    public void receive(byte[] b, int off, int len, long nowNanos) throws IOException {
        engine.receive(b, off, len, nowNanos);
    }

    @Override
    public void receiveEnd() throws IOException { engine.receiveEndOfStream(); }

    @Override
    public void tick(long nowNanos) throws IOException { engine.tick(nowNanos); }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        return Math.max(0, engine.readApplicationData(b, off, len)); // -1 (clean end) is isInboundClosed()
    }

    @Override
    public int available() { return engine.available(); }

    /**
     * Takes only as many bytes as fit under the hard record limit; 0 when a rekey must complete first. When no
     * rekey can complete any more (the peer's CLOSE arrived: it sends no rekey answers, SPEC.md §4.10), it hands
     * the engine one frame instead, so the hard limit ends the connection with {@code LIMIT_REACHED} rather than
     * leaving the writer waiting forever.
     */
    @Override
    public int send(byte[] b, int off, int len, long nowNanos) throws IOException {
        long room = engine.recordsBeforeHardLimit();
        if (room == 0 && engine.isInboundClosed() && engine.isHandshakeComplete()) {
            if (engine.isOutboundDone() && engine.failure().isEmpty()) throw new SocketException("Socket output is shutdown");
            int n = Math.min(len, Frames.MAX_PLAINTEXT);
            engine.writeApplicationData(b, off, n, nowNanos); // at the limit: LIMIT_REACHED, CLOSE queued (§4.13)
            return n;
        }
        if (room == 0) {
            engine.tick(nowNanos); // lets a server's time trigger start the rekey that frees the room
            return 0;
        }
        int n = (int) Math.min(len, room * Frames.MAX_PLAINTEXT);
        engine.writeApplicationData(b, off, n, nowNanos);
        return n;
    }

    @Override
    public dev.qsp.sockets.engine.KeySourceTask delegatedTask() { return engine.delegatedTask(); }

    @Override
    public boolean isInboundPaused() { return engine.isInboundPaused(); }

    @Override
    public boolean isAwaitingTask() { return engine.isAwaitingTask(); }

    @Override
    public int pendingOutput() { return engine.pendingOutput(); }

    @Override
    public QspEngine.OutputChunk takeOutput(byte[] spare) { return engine.takeOutputChunk(spare); }

    @Override
    public void closeOutbound() throws IOException {
        engine.closeOutbound();
        if (engine.failure().isPresent()) throw engine.failure().get();
    }

    @Override
    public boolean requestRekey(boolean fresh, long nowNanos) throws IOException {
        if (engine.isOutboundDone()) return false; // §4.10: a side that cannot send takes no part in rekeys
        return engine.requestRekey(fresh ? RekeyKind.FRESH : RekeyKind.RATCHET, nowNanos);
    }

    @Override
    public boolean isHandshakeComplete() { return engine.isHandshakeComplete(); }

    @Override
    public void trimBuffers() { engine.trimBuffers(); }

    @Override
    public long handshakeDeadlineNanos() { return engine.handshakeDeadlineNanos(); }

    @Override
    public boolean isInboundClosed() throws IOException {
        // the engine closes its inbound side when it fails, too; a reader that asks before the connection has
        // recorded the failure (EngineGate.call records it after releasing the lock) must not see a clean end
        if (engine.failure().isPresent()) throw EngineGate.rethrown(engine.failure().get());
        return engine.isInboundDone();
    }

    @Override
    public boolean isOutboundClosed() { return engine.isOutboundDone(); }

    @Override
    public QspSession session() { return session(engine); }

    /** The public snapshot of {@code engine}'s session (SPEC.md §6.4); shared with {@link QspNioEngine}. */
    static QspSession session(QspEngine engine) {
        SessionInfo s = engine.session();
        if (s == null) throw new IllegalStateException("no session before the handshake completes");
        return new QspSession(s.suite(), s.aead().displayName(), s.kem(), s.serverSignature().jcaName(),
                s.peerIdentity(), s.peerCertificates(), Integer.toUnsignedLong(engine.epoch()), engine.rekeyCount(), engine.lastRekeyKind(),
                s.keySources(), s.keySourceInfo(), engine.lastFreshRekeyEpoch(), engine.lastFreshRekeySources());
    }

    @Override
    public long rekeyCount() { return engine.rekeyCount(); }

    @Override
    public void abort() { engine.abort(); }

    @Override
    public void destroy() { engine.destroy(); }

    @Override
    public String toString() {
        return "EngineCore[" + engine + "]";
    }
}
