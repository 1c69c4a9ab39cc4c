package dev.qsp.bench.fuzz;

import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

import dev.qsp.bench.engine.BenchIdentity;
import dev.qsp.bench.engine.DeterministicRandom;
import dev.qsp.keysources.kem.HybridKemSource;
import dev.qsp.sockets.QspError;
import dev.qsp.sockets.QspProtocolException;
import dev.qsp.sockets.engine.QspEngine;
import dev.qsp.sockets.engine.QspEngineConfig;
import dev.qsp.sockets.engine.RekeyKind;

/**
 * One fuzzed connection: a client and a server engine joined by two {@link Link}s, driven by random actions and
 * at most one fault. Every check failure is an {@link AssertionError} with the reason; the fuzzer adds the seed,
 * case and step.
 */
final class FuzzConnection {
    private static final long SECOND = 1_000_000_000L;

    final QspEngine client;
    final QspEngine server;
    final Link c2s;
    final Link s2c;
    private final SplittableRandom rnd;
    private final byte[] buf = new byte[1 << 17];
    private long now;
    private int lastClientEpoch;
    private int lastServerEpoch;
    boolean faulted;
    long rekeys;
    private final java.util.ArrayDeque<String> trace = new java.util.ArrayDeque<>();

    /** Keeps the last actions, for the failure report. */
    private void trace(String what) {
        if (trace.size() == 16) {
            trace.removeFirst();
        }
        trace.addLast(what);
    }

    /** The last actions of this connection, oldest first. */
    String recentActions() {
        return String.join("\n  ", trace);
    }

    /** Errors a fault in the handshake may end in; never INTERNAL (a local JCA failure) nor a rekey or limit error. */
    private static final java.util.Set<QspError> HANDSHAKE_FAULT_ERRORS;

    static {
        java.util.Set<QspError> s = java.util.EnumSet.allOf(QspError.class);
        s.removeAll(java.util.EnumSet.of(QspError.CLOSE_NOTIFY, QspError.INTERNAL, QspError.REKEY_IN_PROGRESS,
                QspError.REKEY_REFUSED, QspError.LIMIT_REACHED, QspError.HANDSHAKE_TIMEOUT));
        HANDSHAKE_FAULT_ERRORS = java.util.Collections.unmodifiableSet(s);
    }

    /** Set when a handshake frame was faulted: the connection must fail, in any handshake error. */
    private boolean handshakeFaulted;

    FuzzConnection(BenchIdentity id, String seed, SplittableRandom rnd) {
        this(id, seed, rnd, false);
    }

    /**
     * A new connection and its handshake. With {@code faultHandshake}, one of the three handshake frames
     * (ClientHello, the server's flight, the client's Finished) gets a flipped bit, or is replaced by random
     * bytes, on its way: every byte of them is covered by a frame check or by the transcript (SPEC.md §4.8).
     */
    FuzzConnection(BenchIdentity id, String seed, SplittableRandom rnd, boolean faultHandshake) {
        this.rnd = rnd;
        QspEngineConfig cc = QspEngineConfig.builder().trust(id.trust()).expectedPeerIdentity(BenchIdentity.NAME)
                .keySources(List.of(HybridKemSource.of(HybridKemSource.X_WING, new DeterministicRandom("ckem:" + seed))))
                .build();
        QspEngineConfig sc = QspEngineConfig.builder().identity(id.identity())
                .keySources(List.of(HybridKemSource.of(HybridKemSource.X_WING, new DeterministicRandom("skem:" + seed))))
                .build();
        client = QspEngine.client(cc, new DeterministicRandom("client:" + seed));
        server = QspEngine.server(sc, new DeterministicRandom("server:" + seed));
        c2s = new Link("client->server", client, server);
        s2c = new Link("server->client", server, client);
        try {
            server.start(now);
            client.start(now);
        } catch (QspProtocolException e) {
            throw new AssertionError("handshake start failed: " + e.getMessage(), e);
        }
        collect();
        if (faultHandshake) {
            faultHandshake();
            return;
        }
        deliverAll();
        if (!client.isHandshakeComplete() || !server.isHandshakeComplete()) {
            throw new AssertionError("the handshake did not complete without faults");
        }
    }

    private void faultHandshake() {
        faulted = true;
        handshakeFaulted = true;
        int target = rnd.nextInt(3); // 0 ClientHello frame, 1 server flight, 2 client Finished
        int index = 0;
        while (!c2s.wire.isEmpty() || !s2c.wire.isEmpty()) {
            Link l = !c2s.wire.isEmpty() ? c2s : s2c;
            byte[] f = l.wire.poll();
            if (index++ == target) {
                StringBuilder what = new StringBuilder();
                f = Faults.corrupt(f, rnd, what);
                trace("FAULT handshake frame " + target + ": " + what);
            }
            deliver(l, f);
        }
    }

    // ---- actions ----------------------------------------------------------------------------------------

    /** One random action without a fault. */
    void step() {
        int r = rnd.nextInt(100);
        if (r < 35) {
            deliverSome();
        } else if (r < 52) {
            write(c2s);
        } else if (r < 69) {
            write(s2c);
        } else if (r < 77) {
            serverRekey(rnd.nextBoolean() ? RekeyKind.RATCHET : RekeyKind.FRESH);
        } else if (r < 80) {
            clientRekeyRequest(rnd.nextBoolean() ? RekeyKind.RATCHET : RekeyKind.FRESH);
        } else if (r < 85) {
            tick(rnd.nextLong(10 * SECOND));
        } else if (r < 86) {
            closeOutbound(rnd.nextBoolean() ? client : server);
        } else {
            deliverSome();
        }
        collect();
    }

    private void deliverSome() {
        Link l = rnd.nextBoolean() ? c2s : s2c;
        if (l.wire.isEmpty()) {
            l = l == c2s ? s2c : c2s;
        }
        for (int n = 1 + rnd.nextInt(4); n > 0 && !l.wire.isEmpty(); n--) {
            deliver(l, l.wire.poll());
        }
    }

    private void write(Link l) {
        QspEngine e = l.sender;
        if (!alive(e) || e.isOutboundDone()) {
            return;
        }
        int len = rnd.nextInt(8) == 0 ? rnd.nextInt(40_000) : rnd.nextInt(2_000);
        trace(l.name + " write " + len + " bytes");
        byte[] data = new byte[len];
        rnd.nextBytes(data);
        try {
            e.writeApplicationData(data, 0, len, now);
        } catch (QspProtocolException ex) {
            throw new AssertionError(l.name + ": writing " + len + " bytes failed: " + ex.getMessage(), ex);
        }
        l.recordWritten(data, 0, len);
    }

    private void serverRekey(RekeyKind kind) {
        if (!alive(server) || server.isOutboundDone()) {
            return;
        }
        try {
            trace("server rekey " + kind);
            if (server.requestRekey(kind, now)) {
                rekeys++;
            }
        } catch (QspProtocolException ex) {
            throw new AssertionError("server rekey (" + kind + ") failed: " + ex.getMessage(), ex);
        }
    }

    private void clientRekeyRequest(RekeyKind kind) {
        if (!alive(client) || client.isOutboundDone()) {
            return;
        }
        trace("client rekey request " + kind);
        now += 2 * SECOND; // keep requests apart by more than the policy's minimum interval (SPEC.md §4.10)
        try {
            client.requestRekey(kind, now);
        } catch (QspProtocolException ex) {
            throw new AssertionError("client rekey request failed: " + ex.getMessage(), ex);
        }
    }

    private void tick(long nanos) {
        now += nanos;
        for (QspEngine e : List.of(client, server)) {
            if (alive(e)) {
                try {
                    e.tick(now);
                } catch (QspProtocolException ex) {
                    throw new AssertionError(e.role() + " tick failed: " + ex.getMessage(), ex);
                }
            }
        }
    }

    private void closeOutbound(QspEngine e) {
        if (alive(e) && !e.isOutboundDone()) {
            trace(e.role() + " closeOutbound");
            e.closeOutbound();
        }
    }

    // ---- faults -----------------------------------------------------------------------------------------

    /** One fault ({@link Faults#onWire}) on a random direction; returns what it did. */
    String fault() {
        faulted = true;
        Link l = rnd.nextBoolean() ? c2s : s2c;
        String what = Faults.onWire(l, rnd);
        trace("FAULT " + l.name + ": " + what);
        return l.name + ": " + what;
    }

    // ---- delivery and checks ----------------------------------------------------------------------------

    private void deliver(Link l, byte[] f) {
        QspEngine r = l.receiver;
        if (r.failure().isPresent()) {
            return; // a failed engine reads nothing more
        }
        if (handshakeFaulted) {
            // Any error is possible from here on (checked in finish); never an unauthenticated byte.
            trace(l.name + " deliver " + Frame.describe(f));
            try {
                r.receive(f, 0, f.length, now);
            } catch (QspProtocolException ignored) {
                // Checked in finish().
            }
            drainApplication(l);
            collect();
            return;
        }
        boolean authentic = l.isNextAuthentic(f);
        if (!authentic && l.expected == null) {
            l.predict(f);
        }
        boolean outboundOpen = !r.isOutboundDone();
        trace(l.name + (authentic ? " deliver " : " deliver NOT AUTHENTIC ") + Frame.describe(f));
        try {
            r.receive(f, 0, f.length, now);
        } catch (QspProtocolException ignored) {
            // Checked below through failure().
        }
        if (r.failure().isPresent()) {
            // Whether the failing receiver could still send its CLOSE: decided at the moment it failed.
            l.receiverOutboundOpenAtFault = outboundOpen;
            trace(l.name + " receiver failed: " + r.failure().get().error());
        }
        if (authentic) {
            l.accepted++;
            Optional<QspProtocolException> failure = r.failure();
            if (failure.isPresent()) {
                QspProtocolException e = failure.get();
                Optional<QspProtocolException> senderFailure = l.sender.failure();
                boolean peerReported = senderFailure.isPresent() && (e.isRemote() && senderFailure.get().error() == e.error()
                        // the peer's authentic but unprotected CLOSE after this side's handshake (SPEC.md §4.3)
                        || !e.isRemote() && e.error() == QspError.UNAUTHENTICATED_CLOSE);
                if (!peerReported) {
                    throw new AssertionError(l.name + ": the receiver failed on an authentic "
                            + Frame.describe(f) + ": " + e.error() + " " + e.getMessage(), e);
                }
            } else if (Frame.type(f) == Frame.TYPE_CLOSE) {
                l.closeNotifyAccepted = true;
            }
        } else {
            checkFault(l, false);
        }
        drainApplication(l);
        collect();
    }

    /** After a non-authentic frame reached the receiver: it failed with a predicted error, or may still wait. */
    private void checkFault(Link l, boolean atEnd) {
        Optional<QspProtocolException> failure = l.receiver.failure();
        if (failure.isEmpty()) {
            if (atEnd || !l.expected.contains(QspError.TRUNCATED)) {
                throw new AssertionError(l.name + ": the receiver accepted a frame that was not the next authentic"
                        + " one (" + l.faultDescription + "); expected " + l.expected
                        + (l.closeNotifyAccepted ? " (it reported a clean close)" : ""));
            }
            return;
        }
        QspProtocolException e = failure.get();
        if (!l.expected.contains(e.error()) || e.isRemote() != l.expectRemote) {
            throw new AssertionError(l.name + ": after " + l.faultDescription + " the receiver reported "
                    + (e.isRemote() ? "remote " : "local ") + e.error() + " (" + e.getMessage() + "), expected "
                    + (l.expectRemote ? "remote " : "local ") + l.expected, e);
        }
    }

    private void drainApplication(Link l) {
        QspEngine r = l.receiver;
        try {
            int n;
            while ((n = r.readApplicationData(buf, 0, buf.length)) > 0) {
                String problem = l.checkDelivered(buf, 0, n);
                if (problem != null) {
                    throw new AssertionError("unauthenticated data delivered: " + problem);
                }
            }
        } catch (QspProtocolException e) {
            // The engine failed: its failure is checked by the caller.
        }
    }

    /** Moves every engine's pending output onto its link's wire. */
    private void collect() {
        int n;
        while ((n = client.drainOutput(buf, 0, buf.length)) > 0) {
            c2s.emitted(buf, n);
        }
        while ((n = server.drainOutput(buf, 0, buf.length)) > 0) {
            s2c.emitted(buf, n);
        }
    }

    private void deliverAll() {
        while (!c2s.wire.isEmpty() || !s2c.wire.isEmpty()) {
            if (!c2s.wire.isEmpty()) {
                deliver(c2s, c2s.wire.poll());
            }
            if (!s2c.wire.isEmpty()) {
                deliver(s2c, s2c.wire.poll());
            }
        }
    }

    private static boolean alive(QspEngine e) {
        return e.failure().isEmpty();
    }

    /** True once neither side can send or receive anything more. */
    boolean isOver() {
        return (client.isClosed() || client.failure().isPresent()) && (server.isClosed() || server.failure().isPresent())
                && c2s.wire.isEmpty() && s2c.wire.isEmpty();
    }

    /**
     * After a handshake fault: delivers what is left, ends both streams, and requires both sides to have failed,
     * at least one of them locally with a handshake-class error, and no application byte delivered.
     */
    private void finishFaultedHandshake() {
        collect();
        deliverAll();
        for (QspEngine e : List.of(client, server)) {
            if (alive(e) && !e.isClosed()) {
                try {
                    e.receiveEndOfStream();
                } catch (QspProtocolException ex) {
                    // Checked below.
                }
            }
        }
        boolean local = false;
        for (QspEngine e : List.of(client, server)) {
            Optional<QspProtocolException> f = e.failure();
            if (f.isEmpty()) {
                throw new AssertionError(e.role() + " did not fail after a handshake fault");
            }
            if (!f.get().isRemote()) {
                if (!HANDSHAKE_FAULT_ERRORS.contains(f.get().error())) {
                    throw new AssertionError(e.role() + " failed with " + f.get().error() + " after a handshake fault: "
                            + f.get().getMessage(), f.get());
                }
                local = true; // TRUNCATED counts: a frame claiming more bytes than it has can only end so
            }
        }
        if (!local) {
            throw new AssertionError("after a handshake fault no side detected it (both only saw the other's"
                    + " CLOSE or the end of the stream)");
        }
        if (c2s.delivered != 0 || s2c.delivered != 0) {
            throw new AssertionError("application data delivered after a handshake fault");
        }
    }

    /**
     * Epochs and sequence numbers stay consistent (SPEC.md §4.9, §4.10): a receiver is at the sender's epoch or
     * one behind, never ahead in sequence within an epoch, level with it when nothing is in flight; the two
     * sides' epochs differ by at most one and never go down.
     */
    void checkInvariants() {
        if (faulted || !alive(client) || !alive(server) || client.isClosed() || server.isClosed()) {
            return;
        }
        for (Link l : List.of(c2s, s2c)) {
            int se = l.sender.sendEpoch();
            int re = l.receiver.receiveEpoch();
            if (se - re != 0 && se - re != 1) {
                throw new AssertionError(l.name + ": receiver at epoch " + re + ", sender at " + se);
            }
            if (se == re && l.receiver.receiveSequence() > l.sender.sendSequence()) {
                throw new AssertionError(l.name + ": receiver expects seq " + l.receiver.receiveSequence()
                        + " beyond the sender's " + l.sender.sendSequence());
            }
            if (l.wire.isEmpty() && (se != re || l.receiver.receiveSequence() != l.sender.sendSequence())) {
                throw new AssertionError(l.name + ": nothing in flight but receiver at (" + re + ", "
                        + l.receiver.receiveSequence() + ") and sender at (" + se + ", " + l.sender.sendSequence() + ")");
            }
        }
        int ce = client.epoch();
        int se = server.epoch();
        if (Math.abs(ce - se) > 1 || ce < lastClientEpoch || se < lastServerEpoch) {
            throw new AssertionError("epochs client " + ce + " (was " + lastClientEpoch + "), server " + se
                    + " (was " + lastServerEpoch + ")");
        }
        lastClientEpoch = ce;
        lastServerEpoch = se;
    }

    /**
     * Ends the connection: delivers everything, closes both outbound sides, ends both streams, then checks the
     * outcome — without a fault a clean close with every byte delivered; with one the predicted explicit close.
     */
    void finish() {
        if (handshakeFaulted) {
            finishFaultedHandshake();
            return;
        }
        collect();
        deliverAll();
        closeOutbound(client);
        closeOutbound(server);
        collect();
        deliverAll();
        for (Link l : List.of(c2s, s2c)) {
            QspEngine r = l.receiver;
            if (alive(r) && !l.closeNotifyAccepted) {
                trace(l.name + " end of stream");
                // Truncation is the right outcome when frames are missing, a fault is pending, or the sender
                // failed on the peer's CLOSE and so sends nothing more (SPEC.md §4.11).
                boolean missing = l.expected != null || l.accepted < l.authentic.size() || !alive(l.sender);
                try {
                    r.receiveEndOfStream();
                } catch (QspProtocolException e) {
                    // Checked below.
                }
                if (!missing) {
                    throw new AssertionError(l.name + ": the stream ended after every authentic frame but"
                            + " without a CLOSE_NOTIFY having been accepted");
                }
                if (l.expected == null) {
                    l.expected = java.util.EnumSet.of(QspError.TRUNCATED);
                    l.faultDescription = "frames lost before the end of the stream";
                    l.receiverOutboundOpenAtFault = false;
                }
            }
        }
        for (Link l : List.of(c2s, s2c)) {
            if (l.expected != null) {
                checkFault(l, true);
                QspProtocolException e = l.receiver.failure().orElseThrow();
                QspEngine peer = l.sender;
                if (!e.isRemote() && e.error() != QspError.TRUNCATED && l.receiverOutboundOpenAtFault) {
                    Optional<QspProtocolException> pf = peer.failure();
                    if (pf.isEmpty() || !pf.get().isRemote() || pf.get().error() != e.error()) {
                        throw new AssertionError(l.name + ": the receiver failed with " + e.error()
                                + " but its peer did not get that CLOSE (peer: "
                                + pf.map(x -> (x.isRemote() ? "remote " : "local ") + x.error()).orElse("no failure") + ")");
                    }
                }
            }
        }
        if (!faulted) {
            for (Link l : List.of(c2s, s2c)) {
                if (l.receiver.failure().isPresent()) {
                    throw new AssertionError(l.name + ": failed without a fault: " + l.receiver.failure().get().getMessage());
                }
                if (l.delivered != l.writtenLength) {
                    throw new AssertionError(l.name + ": " + l.writtenLength + " bytes written, " + l.delivered
                            + " delivered after a clean close");
                }
            }
            if (!client.isClosed() || !server.isClosed()) {
                throw new AssertionError("after both CLOSE_NOTIFYs the engines are not closed");
            }
        }
    }
}
