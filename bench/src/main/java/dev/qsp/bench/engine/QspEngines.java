package dev.qsp.bench.engine;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.List;

import dev.qsp.keysources.kem.HybridKemSource;
import dev.qsp.sockets.engine.QspEngine;
import dev.qsp.sockets.engine.QspEngineConfig;

/**
 * QSP's sans-I/O engines with the defaults a deployment gets: X-Wing, AES-256-GCM, an ML-DSA-65 server identity
 * whose self-signed certificate the client pins (one signature verification, as the JSSE rows' self-signed trust
 * anchor). Real randomness, as a real connection has.
 */
final class QspEngines implements EngineStack {
    private final QspEngineConfig clientConfig;
    private final QspEngineConfig serverConfig;
    private final SecureRandom random = new SecureRandom();
    /** Wire bytes in flight from one engine to the other; large enough for the server's flight (~16 KB). */
    private final ByteBuffer wire = ByteBuffer.allocate(1 << 17);
    /** The bulk benchmark's read buffer, one per stack: a pair holds only its engines (see {@code EngineMemory}). */
    private final byte[] plain = new byte[1 << 16];

    QspEngines() {
        BenchIdentity id = BenchIdentity.create("engine-bench");
        clientConfig = QspEngineConfig.builder().trust(id.trust()).expectedPeerIdentity(BenchIdentity.NAME)
                .keySources(List.of(HybridKemSource.of(HybridKemSource.X_WING, random))).build();
        serverConfig = QspEngineConfig.builder().identity(id.identity())
                .keySources(List.of(HybridKemSource.of(HybridKemSource.X_WING, random))).build();
    }

    @Override
    public EngineStack.Session handshake(SideCosts costs) throws Exception {
        long t = SideCosts.cpu();
        QspEngine server = QspEngine.server(serverConfig, random);
        server.start(0);
        long u = SideCosts.cpu();
        costs.serverNanos += u - t;
        QspEngine client = QspEngine.client(clientConfig, random);
        client.start(0);
        t = SideCosts.cpu();
        costs.clientNanos += t - u;
        boolean progress = true;
        while (progress) {
            progress = move(client, server, costs, false);
            progress |= move(server, client, costs, true);
        }
        if (!client.isHandshakeComplete() || !server.isHandshakeComplete()) {
            throw new IllegalStateException("the in-memory QSP handshake did not complete");
        }
        return new Pair(client, server);
    }

    /**
     * Drains {@code from}'s output (the sender's cost) and feeds it to {@code to} (the receiver's cost, including
     * whatever the receiver then produces). Returns whether any byte moved.
     */
    private boolean move(QspEngine from, QspEngine to, SideCosts costs, boolean fromServer) throws Exception {
        long t = SideCosts.cpu();
        wire.clear();
        from.drainOutput(wire);
        wire.flip();
        long u = SideCosts.cpu();
        if (!wire.hasRemaining()) {
            add(costs, fromServer, u - t);
            return false;
        }
        to.receive(wire, 0);
        long v = SideCosts.cpu();
        add(costs, fromServer, u - t);
        add(costs, !fromServer, v - u);
        return true;
    }

    private static void add(SideCosts costs, boolean server, long nanos) {
        if (server) {
            costs.serverNanos += nanos;
        } else {
            costs.clientNanos += nanos;
        }
    }

    private final class Pair implements EngineStack.Session {
        private final QspEngine client;
        private final QspEngine server;

        Pair(QspEngine client, QspEngine server) {
            this.client = client;
            this.server = server;
        }

        @Override
        public int transfer(byte[] data, int len) throws Exception {
            client.writeApplicationData(data, 0, len, 0);
            wire.clear();
            client.drainOutput(wire);
            wire.flip();
            server.receive(wire, 0);
            if (server.pendingOutput() > 0) {
                // A rekey the record limits triggered (REKEY_INIT): carry it to the client, whose ACK comes back
                // with its next record, as on a real connection.
                wire.clear();
                server.drainOutput(wire);
                wire.flip();
                client.receive(wire, 0);
            }
            int read = server.readApplicationData(plain, 0, plain.length);
            if (read != len) {
                throw new IllegalStateException("read " + read + " of " + len + " bytes");
            }
            return read;
        }
    }
}
