package dev.qsp.bench.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;

import dev.qsp.sockets.QspProtocolException;
import dev.qsp.sockets.engine.HandshakeMessage;
import dev.qsp.sockets.engine.RekeyMessage;

/**
 * Coverage-guided fuzz tests (Jazzer) of every handshake message parser of the engine and of the rekey message
 * parser (SPEC.md §4.4–§4.6, §4.10). Property: a parser either returns a message or throws
 * {@link QspProtocolException} — any other exception is a crash — and parsing is exact (§4.4: no trailing or
 * slack bytes), so a parsed message re-encodes to the very bytes it came from.
 * <p>
 * In {@code ./qsp test} this runs in regression mode over the committed inputs in
 * {@code src/test/resources/dev/qsp/bench/fuzz/HandshakeParserFuzzTestInputs/<method>/} (valid messages from a
 * deterministic handshake, and every crash found so far). To fuzz one target for real (see bench/README.md):
 * {@code JAZZER_FUZZ=1 ./qsp test -pl bench -am -Dtest=HandshakeParserFuzzTest#clientHello -Dsurefire.failIfNoSpecifiedTests=false}
 */
class HandshakeParserFuzzTest {
    @FuzzTest(maxDuration = "60s")
    void handshakeMessage(byte[] data) {
        try {
            HandshakeMessage m = HandshakeMessage.decode(data);
            assertArrayEquals(data, m.encode(), "decode then encode must give back the input");
        } catch (QspProtocolException expected) {
            // Malformed input reported as a protocol error: the property holds.
        }
    }

    @FuzzTest(maxDuration = "60s")
    void clientHello(byte[] body) {
        parse(HandshakeMessage.CLIENT_HELLO, body);
    }

    @FuzzTest(maxDuration = "60s")
    void serverHello(byte[] body) {
        parse(HandshakeMessage.SERVER_HELLO, body);
    }

    @FuzzTest(maxDuration = "60s")
    void certificate(byte[] body) {
        parse(HandshakeMessage.CERTIFICATE, body);
    }

    @FuzzTest(maxDuration = "60s")
    void certificateVerify(byte[] body) {
        parse(HandshakeMessage.CERTIFICATE_VERIFY, body);
    }

    @FuzzTest(maxDuration = "60s")
    void finished(byte[] body) {
        parse(HandshakeMessage.FINISHED, body);
    }

    @FuzzTest(maxDuration = "60s")
    void rekeyMessage(byte[] data) {
        try {
            RekeyMessage m = RekeyMessage.decode(data, 0, data.length);
            assertArrayEquals(data, m.encode(), "decode then encode must give back the input");
        } catch (QspProtocolException expected) {
            // As above.
        }
    }

    private static void parse(int type, byte[] body) {
        try {
            HandshakeMessage m = HandshakeMessage.parse(type, body);
            byte[] encoded = m.encode();
            byte[] expected = new byte[4 + body.length];
            expected[0] = (byte) type;
            expected[1] = (byte) (body.length >>> 16);
            expected[2] = (byte) (body.length >>> 8);
            expected[3] = (byte) body.length;
            System.arraycopy(body, 0, expected, 4, body.length);
            assertArrayEquals(expected, encoded, "parse then encode must give back the input");
        } catch (QspProtocolException expected) {
            // As above.
        }
    }
}
