package dev.qsp.bench.engine;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.List;

import dev.qsp.keysources.kem.HybridKemSource;
import dev.qsp.sockets.QspProtocolException;
import dev.qsp.sockets.engine.QspEngine;
import dev.qsp.sockets.engine.QspEngineConfig;
import dev.qsp.sockets.engine.RekeyKind;

/**
 * An established in-memory client/server pair of QSP engines (X-Wing, AES-256-GCM, ML-DSA-65, the defaults) for
 * the rekey benchmarks: bytes move straight from one engine's output buffer into the other's
 * {@code receive}, with no copy and no socket, so what is measured is the protocol work alone.
 */
public final class EnginePair {
    /** The client engine, established. */
    public final QspEngine client;
    /** The server engine, established. */
    public final QspEngine server;
    private long now;

    private EnginePair(QspEngine client, QspEngine server) {
        this.client = client;
        this.server = server;
    }

    /**
     * Runs a full handshake. Not {@code deterministic}: the engines' and KEMs' default SecureRandom (what a
     * real connection does); otherwise every random draw comes from seeded deterministic streams.
     *
     * @param id            the server's identity and the client's trust in it
     * @param seed          the seed of the deterministic streams (ignored unless {@code deterministic})
     * @param deterministic draw every random byte from streams seeded by {@code seed}, so that runs repeat
     * @return the pair, its handshake complete on both sides, at time 0
     * @throws IOException           if the handshake fails (a {@link QspProtocolException})
     * @throws IllegalStateException if the handshake did not complete
     */
    public static EnginePair establish(BenchIdentity id, String seed, boolean deterministic) throws IOException {
        SecureRandom cr = deterministic ? new DeterministicRandom("client:" + seed) : new SecureRandom();
        SecureRandom sr = deterministic ? new DeterministicRandom("server:" + seed) : new SecureRandom();
        QspEngineConfig clientConfig = QspEngineConfig.builder().trust(id.trust())
                .expectedPeerIdentity(BenchIdentity.NAME)
                .keySources(List.of(HybridKemSource.of(HybridKemSource.X_WING,
                        deterministic ? new DeterministicRandom("client-kem:" + seed) : new SecureRandom())))
                .build();
        QspEngineConfig serverConfig = QspEngineConfig.builder().identity(id.identity())
                .keySources(List.of(HybridKemSource.of(HybridKemSource.X_WING,
                        deterministic ? new DeterministicRandom("server-kem:" + seed) : new SecureRandom())))
                .build();
        EnginePair p = new EnginePair(QspEngine.client(clientConfig, cr), QspEngine.server(serverConfig, sr));
        p.server.start(0);
        p.client.start(0);
        p.pump();
        if (!p.client.isHandshakeComplete() || !p.server.isHandshakeComplete()) {
            throw new IllegalStateException("the in-memory handshake did not complete");
        }
        return p;
    }

    /**
     * Moves bytes both ways until neither engine has output.
     *
     * @throws IOException if an engine fails on what it receives (a {@link QspProtocolException})
     */
    public void pump() throws IOException {
        boolean progress = true;
        while (progress) {
            progress = client.drainOutput((b, off, len) -> server.receive(b, off, len, now)) > 0;
            progress |= server.drainOutput((b, off, len) -> client.receive(b, off, len, now)) > 0;
        }
    }

    /**
     * One complete server-led rekey: REKEY_INIT, REKEY_ACK, REKEY_COMMIT delivered and processed (SPEC.md §4.10).
     * Checks that both sides moved to the next epoch in both directions.
     *
     * @param kind the rekey's kind (a fresh one runs a new X-Wing exchange)
     * @throws IOException           if a rekey was already in flight, or an engine fails (a
     *                               {@link QspProtocolException})
     * @throws IllegalStateException if the rekey did not complete
     */
    public void rekey(RekeyKind kind) throws IOException {
        int next = server.epoch() + 1;
        if (!server.requestRekey(kind, now)) {
            throw new QspProtocolException(dev.qsp.sockets.QspError.INTERNAL, "a rekey was already in flight");
        }
        pump();
        if (client.epoch() != next || server.epoch() != next || client.receiveEpoch() != next
                || server.receiveEpoch() != next || server.isRekeyInFlight()) {
            throw new IllegalStateException("rekey to epoch " + next + " did not complete: client " + client.epoch()
                    + ", server " + server.epoch());
        }
    }

    /**
     * Moves the pair's clock, which every engine call is given, forward.
     *
     * @param nanos nanoseconds to add
     */
    public void advance(long nanos) {
        now += nanos;
    }

    /** {@return the pair's clock in nanoseconds (0 when established)} */
    public long now() {
        return now;
    }
}
