package dev.qsp.sockets.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.qsp.sockets.QspProtocolException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.crypto.SecretKey;
import org.junit.jupiter.api.Test;

/**
 * What an {@link EngineObserver} and a {@link TrafficKeyLog} are told (SPEC.md §6.6), event by event: the
 * lifecycle (start, handshake and rekey completion with their durations from the injected clock, application
 * data, failure with its phase, one end), every frame exactly as it went on the wire in both directions, every
 * handshake and rekey message with its direction, and which keys were installed for which direction. An observer
 * that does not ask for frames or messages gets none.
 */
class EngineObserverTest {

    /** Records every event as a line; frames and messages apart from the lifecycle. */
    static final class Recorder implements EngineObserver {
        final boolean frames;
        final boolean messages;
        final List<String> lifecycle = new ArrayList<>();
        final List<String> frameEvents = new ArrayList<>();
        final List<String> messageEvents = new ArrayList<>();
        final List<byte[]> randoms = new ArrayList<>();
        SessionInfo session;

        Recorder(boolean frames, boolean messages) {
            this.frames = frames;
            this.messages = messages;
        }

        @Override
        public boolean observesFrames() { return frames; }

        @Override
        public boolean observesMessages() { return messages; }

        @Override
        public void started(QspEngine.Role role) { lifecycle.add("started " + role); }

        @Override
        public void clientRandom(byte[] random) {
            lifecycle.add("clientRandom");
            randoms.add(random);
        }

        @Override
        public void frame(boolean sent, FrameType type, int epoch, long seq, int length) {
            frameEvents.add(frameLine(sent, type, epoch, seq, length));
        }

        @Override
        public void handshakeMessage(boolean sent, int type, int length) {
            messageEvents.add((sent ? "sent" : "recv") + " handshake " + type + " " + length);
        }

        @Override
        public void rekeyMessage(boolean sent, RekeyMessage message) {
            messageEvents.add((sent ? "sent " : "recv ") + message);
        }

        @Override
        public void handshakeComplete(QspEngine.Role role, SessionInfo s, long durationNanos) {
            lifecycle.add("complete " + role + " " + durationNanos);
            session = s;
        }

        @Override
        public void rekeyComplete(QspEngine.Role role, RekeyKind kind, int newEpoch, long durationNanos,
                                  List<KeySourceInfo> freshSources) {
            lifecycle.add("rekey " + role + " " + kind + " " + newEpoch + " " + durationNanos + " " + freshSources.size());
        }

        @Override
        public void failed(QspEngine.Role role, QspProtocolException error, Phase phase) {
            lifecycle.add("failed " + role + " " + error.error() + (error.isRemote() ? " remote " : " local ") + phase);
        }

        @Override
        public void applicationData(boolean sent, int bytes) { lifecycle.add("app " + (sent ? "sent " : "recv ") + bytes); }

        @Override
        public void ended(boolean handshakeCompleted) { lifecycle.add("ended " + handshakeCompleted); }
    }

    static String frameLine(boolean sent, FrameType type, int epoch, long seq, int length) {
        return (sent ? "sent " : "recv ") + type + " " + epoch + " " + seq + " " + length;
    }

    /** Records the keys a side installed: epoch, direction, suite and the key bytes at that moment. */
    static final class KeyLines implements TrafficKeyLog {
        final List<String> lines = new ArrayList<>();
        final List<byte[]> keys = new ArrayList<>();
        final List<byte[]> randoms = new ArrayList<>();

        @Override
        public void trafficKey(byte[] clientRandom, int epoch, boolean clientToServer, AeadSuite suite, SecretKey key) {
            lines.add(epoch + (clientToServer ? " c2s " : " s2c ") + suite);
            keys.add(key.getEncoded());
            randoms.add(clientRandom);
        }
    }

    /** The frame headers as they crossed the wire, seen by the pair's interceptor. */
    final List<String> c2sWire = new ArrayList<>();
    final List<String> s2cWire = new ArrayList<>();
    byte[] firstClientFrame;

    private EnginePair pair(Recorder c, Recorder s, KeyLines ck, KeyLines sk, String seed) throws Exception {
        EnginePair p = new EnginePair(Fixtures.client().observer(c).keyLog(ck).build(),
                Fixtures.server().observer(s).keyLog(sk).build(), seed);
        p.interceptor = (fromClient, index, f) -> {
            if (fromClient && index == 0) firstClientFrame = f.clone();
            String sent = frameLine(true, FrameType.fromWire(Frames.type(f, 0)), Frames.epoch(f, 0), Frames.seq(f, 0),
                    Frames.length(f, 0));
            (fromClient ? c2sWire : s2cWire).add(sent);
            return EnginePair.pass(f);
        };
        return p;
    }

    /** Server started at t=1000, client at t=1100, both flights delivered at t=1250. */
    private static void handshake(EnginePair p) throws QspProtocolException {
        p.server.start(1_000);
        p.client.start(1_100);
        p.now = 1_250;
        p.pump();
        assertEquals(null, p.clientError);
        assertEquals(null, p.serverError);
        assertEquals(true, p.client.isHandshakeComplete() && p.server.isHandshakeComplete());
    }

    private static List<String> as(boolean sent, List<String> wire) {
        List<String> out = new ArrayList<>();
        for (String w : wire) out.add(sent ? w : "recv" + w.substring(4));
        return out;
    }

    private static List<String> sentOnly(List<String> events, boolean sent) {
        return events.stream().filter(e -> e.startsWith(sent ? "sent" : "recv")).toList();
    }

    @Test
    void everyEventOfAConnectionInOrder() throws Exception {
        Recorder c = new Recorder(true, true);
        Recorder s = new Recorder(true, true);
        KeyLines ck = new KeyLines();
        KeyLines sk = new KeyLines();
        EnginePair p = pair(c, s, ck, sk, "observer-all");
        handshake(p);
        assertSame(p.client.session(), c.session);
        assertSame(p.server.session(), s.session);

        p.now = 1_500;
        p.client.writeApplicationData(new byte[0], 0, 0, p.now); // nothing written, nothing reported
        p.client.writeApplicationData(new byte[5], 0, 5, p.now);
        p.pump();
        assertEquals(5, p.serverReceived.size());

        p.server.requestRekey(RekeyKind.RATCHET, 2_000);
        p.now = 2_300;
        p.pump();
        assertEquals(1, p.client.epoch());
        assertEquals(1, p.server.epoch());

        p.client.closeOutbound();
        p.pump();
        p.server.closeOutbound();
        p.pump();
        assertEquals(true, p.client.isClosed() && p.server.isClosed());
        p.client.abort(); // erases again: still one end
        p.server.destroy();

        assertEquals(List.of("started CLIENT", "clientRandom", "complete CLIENT 150", "app sent 5",
                "rekey CLIENT RATCHET 1 0 0", "ended true"), c.lifecycle);
        assertEquals(List.of("started SERVER", "clientRandom", "complete SERVER 250", "app recv 5",
                "rekey SERVER RATCHET 1 300 0", "ended true"), s.lifecycle);

        // The client random: the 32 bytes after the ClientHello's header and version, on both sides.
        byte[] wireRandom = Arrays.copyOfRange(firstClientFrame, Frames.HEADER_LENGTH + 6, Frames.HEADER_LENGTH + 6 + 32);
        assertArrayEquals(wireRandom, c.randoms.getFirst());
        assertArrayEquals(wireRandom, s.randoms.getFirst());

        // Frames: each side's sent frames are the wire's in its direction, its received ones the other direction's.
        assertEquals(as(true, c2sWire), sentOnly(c.frameEvents, true));
        assertEquals(as(false, s2cWire), sentOnly(c.frameEvents, false));
        assertEquals(as(true, s2cWire), sentOnly(s.frameEvents, true));
        assertEquals(as(false, c2sWire), sentOnly(s.frameEvents, false));
        assertEquals("sent HANDSHAKE 0 0 " + (firstClientFrame.length - Frames.HEADER_LENGTH), c.frameEvents.getFirst());
        assertEquals(List.of("sent APP_DATA 0 0 21", "sent REKEY 0 1 22", "sent CLOSE 1 0 18"),
                c2sWire.subList(c2sWire.size() - 3, c2sWire.size()));
        assertEquals(List.of("sent REKEY 0 0 23", "sent REKEY 0 1 21", "sent CLOSE 1 0 18"),
                s2cWire.subList(s2cWire.size() - 3, s2cWire.size()));

        // Messages: types in order, each side's sent list the other's received list.
        List<String> clientSentHs = c.messageEvents.stream().filter(e -> e.startsWith("sent handshake")).toList();
        List<String> serverSentHs = s.messageEvents.stream().filter(e -> e.startsWith("sent handshake")).toList();
        assertEquals(List.of("1", "5"), clientSentHs.stream().map(e -> e.split(" ")[2]).toList());
        assertEquals(List.of("2", "3", "4", "5"), serverSentHs.stream().map(e -> e.split(" ")[2]).toList());
        assertEquals(as(false, clientSentHs), s.messageEvents.stream().filter(e -> e.startsWith("recv handshake")).toList());
        assertEquals(as(false, serverSentHs), c.messageEvents.stream().filter(e -> e.startsWith("recv handshake")).toList());
        assertEquals("sent handshake 1 " + (firstClientFrame.length - Frames.HEADER_LENGTH), clientSentHs.getFirst());
        assertEquals(List.of("recv Init[kind=RATCHET, nextEpoch=1, offers=[]]", "sent Ack[nextEpoch=1, replies=[]]",
                "recv Commit[nextEpoch=1]"), c.messageEvents.subList(c.messageEvents.size() - 3, c.messageEvents.size()));
        assertEquals(List.of("sent Init[kind=RATCHET, nextEpoch=1, offers=[]]", "recv Ack[nextEpoch=1, replies=[]]",
                "sent Commit[nextEpoch=1]"), s.messageEvents.subList(s.messageEvents.size() - 3, s.messageEvents.size()));

        // Keys: epoch 0 then 1, each side's send key first; both sides log the same bytes for a direction.
        AeadSuite suite = p.client.session().aead();
        assertEquals(List.of("0 c2s " + suite, "0 s2c " + suite, "1 c2s " + suite, "1 s2c " + suite), ck.lines);
        assertEquals(List.of("0 s2c " + suite, "0 c2s " + suite, "1 c2s " + suite, "1 s2c " + suite), sk.lines);
        assertArrayEquals(ck.keys.get(0), sk.keys.get(1));
        assertArrayEquals(ck.keys.get(1), sk.keys.get(0));
        assertArrayEquals(ck.keys.get(2), sk.keys.get(2));
        assertArrayEquals(ck.keys.get(3), sk.keys.get(3));
        for (byte[] r : ck.randoms) assertArrayEquals(wireRandom, r);
        for (byte[] r : sk.randoms) assertArrayEquals(wireRandom, r);
    }

    @Test
    void anObserverThatAsksForNeitherFramesNorMessagesGetsNone() throws Exception {
        Recorder c = new Recorder(false, false);
        Recorder s = new Recorder(false, false);
        KeyLines ck = new KeyLines();
        KeyLines sk = new KeyLines();
        EnginePair p = pair(c, s, ck, sk, "observer-quiet");
        handshake(p);
        p.server.requestRekey(RekeyKind.RATCHET, 1_300);
        p.now = 1_400;
        p.pump();
        assertEquals(List.of(), c.frameEvents);
        assertEquals(List.of(), s.frameEvents);
        assertEquals(List.of(), c.messageEvents);
        assertEquals(List.of(), s.messageEvents);
        assertEquals(List.of("started CLIENT", "clientRandom", "complete CLIENT 150", "rekey CLIENT RATCHET 1 0 0"), c.lifecycle);
        assertEquals(List.of("started SERVER", "clientRandom", "complete SERVER 250", "rekey SERVER RATCHET 1 100 0"),
                s.lifecycle);
        assertEquals(4, ck.lines.size()); // the key log still works without frame observation
        assertEquals(4, sk.lines.size());
    }

    @Test
    void aFailureNamesItsPhase() throws Exception {
        // Handshake: a server given a frame of unknown type before any ClientHello.
        Recorder hs = new Recorder(false, false);
        QspEngine server = QspEngine.server(Fixtures.server().observer(hs).build(), new SeededRandom("observer-hs"));
        server.start(10);
        byte[] bogus = new byte[Frames.HEADER_LENGTH];
        bogus[0] = 9;
        assertEquals(dev.qsp.sockets.QspError.UNKNOWN_FRAME_TYPE,
                assertThrows(QspProtocolException.class, () -> server.receive(bogus, 0, bogus.length, 20)).error());
        assertEquals(List.of("started SERVER", "failed SERVER UNKNOWN_FRAME_TYPE local HANDSHAKE", "ended false"), hs.lifecycle);

        // Traffic: an authenticated REKEY_COMMIT sent to the server with no rekey anywhere.
        Recorder c = new Recorder(false, false);
        Recorder s = new Recorder(false, false);
        EnginePair p = pair(c, s, new KeyLines(), new KeyLines(), "observer-traffic");
        handshake(p);
        p.client.insecureSendRekeyPlaintext(new RekeyMessage.Commit(1).encode());
        p.pump();
        assertNotNull(p.serverError);
        assertEquals("failed SERVER UNEXPECTED_MESSAGE local TRAFFIC", s.lifecycle.get(s.lifecycle.size() - 2));
        assertEquals("failed CLIENT UNEXPECTED_MESSAGE remote TRAFFIC", c.lifecycle.get(c.lifecycle.size() - 2));
        assertEquals("ended true", s.lifecycle.getLast());
        assertEquals("ended true", c.lifecycle.getLast());

        // Rekey: the same misbehaviour while the server's REKEY_INIT is in flight.
        Recorder c2 = new Recorder(false, false);
        Recorder s2 = new Recorder(false, false);
        EnginePair q = pair(c2, s2, new KeyLines(), new KeyLines(), "observer-rekey");
        handshake(q);
        q.server.requestRekey(RekeyKind.RATCHET, 1_300);
        EnginePair.drainAll(q.server); // the INIT never reaches the client
        q.client.insecureSendRekeyPlaintext(new RekeyMessage.Commit(1).encode());
        byte[] commit = EnginePair.drainAll(q.client);
        q.deliver(q.server, true, commit, 0, commit.length);
        assertNotNull(q.serverError);
        assertEquals(List.of("started SERVER", "clientRandom", "complete SERVER 250",
                "failed SERVER UNEXPECTED_MESSAGE local REKEY", "ended true"), s2.lifecycle);
    }

    @Test
    void framesAreObservedWithoutAKeyLog() throws Exception {
        Recorder c = new Recorder(true, false);
        Recorder s = new Recorder(true, false);
        EnginePair p = new EnginePair(Fixtures.client().observer(c).build(), Fixtures.server().observer(s).build(), "observer-nolog");
        handshake(p);
        // what the client sent is what the server received, frame by frame
        assertEquals(sentOnly(c.frameEvents, true), sentOnly(s.frameEvents, false).stream().map(e -> "sent" + e.substring(4)).toList());
        assertEquals(true, c.frameEvents.size() >= 3, c.frameEvents.toString());
        assertEquals(List.of(), c.messageEvents);
    }

    /** A server given a ClientHello-typed message of {@code bodyLength} bytes of zeros as its first message. */
    private static Recorder bogusHello(int bodyLength) throws Exception {
        Recorder o = new Recorder(false, true);
        QspEngine server = QspEngine.server(Fixtures.server().observer(o).build(), new SeededRandom("observer-bogus"));
        server.start(0);
        byte[] f = new byte[Frames.HEADER_LENGTH + 4 + bodyLength];
        Frames.writeHeader(f, 0, FrameType.HANDSHAKE, 0, 0, 4 + bodyLength);
        f[Frames.HEADER_LENGTH] = HandshakeMessage.CLIENT_HELLO;
        f[Frames.HEADER_LENGTH + 3] = (byte) bodyLength;
        QspProtocolException e = assertThrows(QspProtocolException.class, () -> server.receive(f, 0, f.length, 0));
        assertEquals(dev.qsp.sockets.QspError.DECODE_ERROR, e.error());
        return o;
    }

    @Test
    void aClientRandomIsTakenOnlyFromAClientHelloLongEnoughToHoldOne() throws Exception {
        Recorder exact = bogusHello(2 + 32); // version and random, nothing after: the random is there
        assertEquals(List.of("started SERVER", "clientRandom", "failed SERVER DECODE_ERROR local HANDSHAKE", "ended false"),
                exact.lifecycle);
        assertArrayEquals(new byte[32], exact.randoms.getFirst());
        Recorder shorter = bogusHello(2 + 31);
        assertEquals(List.of("started SERVER", "failed SERVER DECODE_ERROR local HANDSHAKE", "ended false"), shorter.lifecycle);
        Recorder tiny = bogusHello(1); // shorter than the offset of the random itself
        assertEquals(List.of("started SERVER", "failed SERVER DECODE_ERROR local HANDSHAKE", "ended false"), tiny.lifecycle);
    }
}
