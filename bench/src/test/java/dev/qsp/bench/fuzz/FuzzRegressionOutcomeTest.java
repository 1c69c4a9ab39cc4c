package dev.qsp.bench.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qsp.bench.engine.BenchIdentity;
import dev.qsp.bench.engine.DeterministicRandom;
import dev.qsp.bench.engine.EnginePair;
import dev.qsp.keysources.kem.HybridKemSource;
import dev.qsp.sockets.QspProtocolException;
import dev.qsp.sockets.engine.HandshakeMessage;
import dev.qsp.sockets.engine.QspEngine;
import dev.qsp.sockets.engine.QspEngineConfig;
import dev.qsp.sockets.engine.RekeyMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Pins the outcome of every committed fuzz regression input (issue 15): the fuzz targets only check that nothing
 * but {@link QspProtocolException} escapes, so a parser that refused everything would pass them. Here each input
 * has its expected outcome in {@code fuzz-outcomes.tsv}: {@code accepted} (parsed and re-encoded to the same bytes;
 * for the frame decoder: consumed without error, with the engine's handshake state and output size) or {@code rejected CODE: detail}. A new input without an
 * entry fails the test, so whoever commits a crash input also pins what the engine does with it.
 *
 * <p>Regenerate the table (only after checking each changed line by hand):
 * {@code ./qsp test -pl bench -am -Dtest=FuzzRegressionOutcomeTest -Dsurefire.failIfNoSpecifiedTests=false -Dqsp.regenerateVectors=true}.
 */
class FuzzRegressionOutcomeTest {
    private static final Path INPUTS = Path.of("src/test/resources/dev/qsp/bench/fuzz");
    private static final Path TABLE = INPUTS.resolve("fuzz-outcomes.tsv");
    private static final BenchIdentity ID = BenchIdentity.create("jazzer");

    @Test
    void everyRegressionInputHasItsPinnedOutcome() throws Exception {
        Map<String, String> actual = new TreeMap<>();
        List<Path> files;
        try (Stream<Path> s = Files.walk(INPUTS)) {
            files = s.filter(Files::isRegularFile).filter(f -> !f.equals(TABLE)).sorted().toList();
        }
        for (Path f : files) {
            String rel = INPUTS.relativize(f).toString().replace('\\', '/');
            actual.put(rel, outcome(rel, Files.readAllBytes(f)));
        }
        if (Boolean.getBoolean("qsp.regenerateVectors")) {
            StringBuilder sb = new StringBuilder("# Expected outcome of each fuzz regression input (FuzzRegressionOutcomeTest). input<TAB>outcome\n");
            actual.forEach((k, v) -> sb.append(k).append('\t').append(v).append('\n'));
            Files.writeString(TABLE, sb.toString(), StandardCharsets.UTF_8);
        }
        Map<String, String> expected = new TreeMap<>();
        for (String line : Files.readAllLines(TABLE, StandardCharsets.UTF_8)) {
            if (line.isBlank() || line.startsWith("#")) continue;
            int tab = line.indexOf('\t');
            expected.put(line.substring(0, tab), line.substring(tab + 1));
        }
        assertEquals(new ArrayList<>(expected.keySet()), new ArrayList<>(actual.keySet()), "every input pinned, no stale entry");
        for (var e : expected.entrySet()) assertEquals(e.getValue(), actual.get(e.getKey()), e.getKey());
        assertTrue(expected.containsValue("accepted"), "valid inputs are accepted");
        assertTrue(expected.values().stream().anyMatch(v -> v.startsWith("rejected ")), "malformed inputs are rejected");
    }

    /** What the target of {@code rel}'s directory does with {@code data}. */
    private static String outcome(String rel, byte[] data) throws Exception {
        String target = rel.substring(rel.indexOf('/') + 1, rel.lastIndexOf('/'));
        try {
            switch (target) {
                case "handshakeMessage" -> assertArrayEquals(data, HandshakeMessage.decode(data).encode());
                case "rekeyMessage" -> assertArrayEquals(data, RekeyMessage.decode(data, 0, data.length).encode());
                case "clientHello" -> parse(HandshakeMessage.CLIENT_HELLO, data);
                case "serverHello" -> parse(HandshakeMessage.SERVER_HELLO, data);
                case "certificate" -> parse(HandshakeMessage.CERTIFICATE, data);
                case "certificateVerify" -> parse(HandshakeMessage.CERTIFICATE_VERIFY, data);
                case "finished" -> parse(HandshakeMessage.FINISHED, data);
                case "serverAwaitingClientHello" -> {
                    QspEngine server = QspEngine.server(QspEngineConfig.builder().identity(ID.identity())
                            .keySources(List.of(HybridKemSource.of(HybridKemSource.X_WING, new DeterministicRandom("s")))).build(),
                            new DeterministicRandom("server"));
                    server.start(0);
                    return consume(server, data);
                }
                case "clientAwaitingServerFlight" -> {
                    QspEngine client = QspEngine.client(QspEngineConfig.builder().trust(ID.trust())
                            .expectedPeerIdentity(BenchIdentity.NAME)
                            .keySources(List.of(HybridKemSource.of(HybridKemSource.X_WING, new DeterministicRandom("c")))).build(),
                            new DeterministicRandom("client"));
                    client.start(0);
                    client.drainOutput(new byte[1 << 16], 0, 1 << 16);
                    return consume(client, data);
                }
                case "established" -> {
                    return consume(EnginePair.establish(ID, "jazzer", true).client, data);
                }
                default -> throw new AssertionError("no target for " + rel);
            }
            return "accepted";
        } catch (QspProtocolException e) {
            return "rejected " + e.error() + ": " + e.detail();
        }
    }

    /** Feeds {@code data}; the outcome names the state it left the engine in. */
    private static String consume(QspEngine engine, byte[] data) throws QspProtocolException {
        engine.receive(data, 0, data.length, 0);
        assertEquals(0, engine.available(), "application data appeared from bytes the peer never sent");
        return "accepted, handshake " + (engine.isHandshakeComplete() ? "complete" : "incomplete") + ", "
                + engine.pendingOutput() + " bytes to send";
    }

    private static void parse(int type, byte[] body) throws QspProtocolException {
        byte[] expected = new byte[4 + body.length];
        expected[0] = (byte) type;
        expected[1] = (byte) (body.length >>> 16);
        expected[2] = (byte) (body.length >>> 8);
        expected[3] = (byte) body.length;
        System.arraycopy(body, 0, expected, 4, body.length);
        assertArrayEquals(expected, HandshakeMessage.parse(type, body).encode());
    }
}
