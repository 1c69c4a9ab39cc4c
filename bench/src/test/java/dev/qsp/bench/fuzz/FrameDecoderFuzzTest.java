package dev.qsp.bench.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import com.code_intelligence.jazzer.junit.FuzzTest;

import dev.qsp.bench.engine.BenchIdentity;
import dev.qsp.bench.engine.DeterministicRandom;
import dev.qsp.bench.engine.EnginePair;
import dev.qsp.keysources.kem.HybridKemSource;
import dev.qsp.sockets.QspProtocolException;
import dev.qsp.sockets.engine.QspEngine;
import dev.qsp.sockets.engine.QspEngineConfig;

/**
 * Coverage-guided fuzz tests (Jazzer) of the engine's frame decoder (SPEC.md §4.3, §4.9) through its public
 * input, {@code QspEngine.receive}: arbitrary bytes to a server awaiting a ClientHello, to a client awaiting the
 * server's flight, and to a client of an established connection. Property: the engine either consumes the bytes
 * or fails with {@link QspProtocolException} (never another exception), and never delivers application data
 * that its peer did not send — here, none at all.
 * <p>
 * Regression inputs: {@code src/test/resources/dev/qsp/bench/fuzz/FrameDecoderFuzzTestInputs/<method>/}.
 * Real fuzzing: {@code JAZZER_FUZZ=1 ./qsp test -pl bench -am -Dtest=FrameDecoderFuzzTest#established
 * -Dsurefire.failIfNoSpecifiedTests=false} (see bench/README.md).
 */
class FrameDecoderFuzzTest {
    private static final BenchIdentity ID = BenchIdentity.create("jazzer");

    @FuzzTest(maxDuration = "60s")
    void serverAwaitingClientHello(byte[] data) throws Exception {
        QspEngine server = QspEngine.server(QspEngineConfig.builder().identity(ID.identity())
                .keySources(List.of(HybridKemSource.of(HybridKemSource.X_WING, new DeterministicRandom("s")))).build(),
                new DeterministicRandom("server"));
        server.start(0);
        feed(server, data);
    }

    @FuzzTest(maxDuration = "60s")
    void clientAwaitingServerFlight(byte[] data) throws Exception {
        QspEngine client = QspEngine.client(QspEngineConfig.builder().trust(ID.trust())
                .expectedPeerIdentity(BenchIdentity.NAME)
                .keySources(List.of(HybridKemSource.of(HybridKemSource.X_WING, new DeterministicRandom("c")))).build(),
                new DeterministicRandom("client"));
        client.start(0);
        client.drainOutput(new byte[1 << 16], 0, 1 << 16);
        feed(client, data);
    }

    @FuzzTest(maxDuration = "60s")
    void established(byte[] data) throws Exception {
        EnginePair pair = EnginePair.establish(ID, "jazzer", true);
        feed(pair.client, data);
    }

    private static void feed(QspEngine engine, byte[] data) {
        try {
            engine.receive(data, 0, data.length, 0);
            assertEquals(0, engine.available(), "application data appeared from bytes the peer never sent");
        } catch (QspProtocolException expected) {
            // Rejected as a protocol error: the property holds.
        }
    }
}
