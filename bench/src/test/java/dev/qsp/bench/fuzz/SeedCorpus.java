package dev.qsp.bench.fuzz;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import dev.qsp.bench.engine.BenchIdentity;
import dev.qsp.bench.engine.DeterministicRandom;
import dev.qsp.keysources.kem.HybridKemSource;
import dev.qsp.sockets.engine.HandshakeMessage;
import dev.qsp.sockets.engine.KeySourceEntry;
import dev.qsp.sockets.engine.QspEngine;
import dev.qsp.sockets.engine.QspEngineConfig;
import dev.qsp.sockets.engine.RekeyKind;
import dev.qsp.sockets.engine.RekeyMessage;

/**
 * Writes the committed Jazzer seed inputs (valid messages and frames from a deterministic in-memory handshake
 * with the same identity and seeds as the fuzz targets). Not a test; run once after an intended protocol change:
 * {@code java -cp <bench test class path> dev.qsp.bench.fuzz.SeedCorpus bench/src/test/resources}.
 */
public final class SeedCorpus {
    private SeedCorpus() {
    }

    public static void main(String[] args) throws Exception {
        Path res = Path.of(args[0]).resolve("dev/qsp/bench/fuzz");
        Path parsers = res.resolve("HandshakeParserFuzzTestInputs");
        Path frames = res.resolve("FrameDecoderFuzzTestInputs");
        BenchIdentity id = BenchIdentity.create("jazzer");

        // The same client as FrameDecoderFuzzTest.clientAwaitingServerFlight, and a server answering it.
        QspEngine client = QspEngine.client(QspEngineConfig.builder().trust(id.trust())
                .expectedPeerIdentity(BenchIdentity.NAME)
                .keySources(List.of(HybridKemSource.of(HybridKemSource.X_WING, new DeterministicRandom("c")))).build(),
                new DeterministicRandom("client"));
        QspEngine server = QspEngine.server(QspEngineConfig.builder().identity(id.identity())
                .keySources(List.of(HybridKemSource.of(HybridKemSource.X_WING, new DeterministicRandom("s")))).build(),
                new DeterministicRandom("server"));
        server.start(0);
        client.start(0);
        byte[] clientFlight = drain(client);
        server.receive(clientFlight, 0, clientFlight.length, 0);
        byte[] serverFlight = drain(server);
        write(frames.resolve("serverAwaitingClientHello"), "client-hello-frame", clientFlight);
        write(frames.resolve("clientAwaitingServerFlight"), "server-flight", serverFlight);
        write(frames.resolve("clientAwaitingServerFlight"), "server-flight-first-frame-header",
                Arrays.copyOf(serverFlight, Frame.HEADER));

        byte[] chMsg = Arrays.copyOfRange(clientFlight, Frame.HEADER, Frame.HEADER + Frame.length(clientFlight, 0));
        List<byte[]> serverMsgs = messages(payloads(serverFlight));
        write(parsers.resolve("handshakeMessage"), "client-hello", chMsg);
        write(parsers.resolve("clientHello"), "client-hello-body", body(chMsg));
        String[] names = {"serverHello", "certificate", "certificateVerify", "finished"};
        for (int i = 0; i < names.length; i++) {
            byte[] m = serverMsgs.get(i);
            if ((m[0] & 0xFF) != i + HandshakeMessage.SERVER_HELLO) {
                throw new IllegalStateException("unexpected server flight order");
            }
            write(parsers.resolve("handshakeMessage"), names[i], m);
            write(parsers.resolve(names[i]), names[i] + "-body", body(m));
        }

        Path rekey = parsers.resolve("rekeyMessage");
        write(rekey, "request", new RekeyMessage.Request(RekeyKind.FRESH).encode());
        write(rekey, "init-ratchet", new RekeyMessage.Init(RekeyKind.RATCHET, 1, List.of()).encode());
        write(rekey, "init-fresh", new RekeyMessage.Init(RekeyKind.FRESH, 2,
                List.of(new KeySourceEntry("x-wing", new byte[] {1, 2, 3, 4}))).encode());
        write(rekey, "ack", new RekeyMessage.Ack(2, List.of(new KeySourceEntry("x-wing", new byte[] {5, 6}))).encode());
        write(rekey, "commit", new RekeyMessage.Commit(7).encode());

        // Established: forged frames of each type at the client's expected epoch and sequence number.
        Path est = frames.resolve("established");
        for (int type = 1; type <= 4; type++) {
            byte[] f = Arrays.copyOf(Frame.header(type, 0, 0, 32), Frame.HEADER + 32);
            write(est, "forged-type-" + type, f);
        }
        write(est, "oversized-length", Frame.header(2, 0, 0, Frame.MAX_PROTECTED_PAYLOAD + 1));
    }

    private static byte[] drain(QspEngine e) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[1 << 16];
        int n;
        while ((n = e.drainOutput(buf, 0, buf.length)) > 0) {
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    private static byte[] payloads(byte[] stream) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int p = 0;
        while (p < stream.length) {
            int len = Frame.length(stream, p);
            out.write(stream, p + Frame.HEADER, len);
            p += Frame.HEADER + len;
        }
        return out.toByteArray();
    }

    private static List<byte[]> messages(byte[] s) {
        List<byte[]> out = new java.util.ArrayList<>();
        int p = 0;
        while (p < s.length) {
            int len = ((s[p + 1] & 0xFF) << 16) | ((s[p + 2] & 0xFF) << 8) | (s[p + 3] & 0xFF);
            out.add(Arrays.copyOfRange(s, p, p + 4 + len));
            p += 4 + len;
        }
        return out;
    }

    private static byte[] body(byte[] message) {
        return Arrays.copyOfRange(message, 4, message.length);
    }

    private static void write(Path dir, String name, byte[] data) throws IOException {
        Files.createDirectories(dir);
        Files.write(dir.resolve(name), data);
    }
}
