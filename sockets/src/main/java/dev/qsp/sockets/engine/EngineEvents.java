package dev.qsp.sockets.engine;

import dev.qsp.sockets.QspProtocolException;
import java.util.Arrays;
import java.util.List;
import javax.crypto.SecretKey;

/**
 * The engine's side of observation (SPEC.md §6.6): turns the engine's one-line hooks into {@link EngineObserver}
 * and {@link TrafficKeyLog} calls. What the observer does not want is decided here once, into final fields, so
 * the hooks on the frame path are one field test when off ({@link RecordLayer} holds a hook only
 * if frames are observed or keys logged).
 */
final class EngineEvents {
    /** RecordLayer's hook: frames sent or received, and traffic keys installed. */
    interface RecordHook {
        void frame(boolean sent, FrameType type, int epoch, long seq, int length);

        void keyInstalled(boolean send, AeadSuite suite, int epoch, SecretKey key);
    }

    private final QspEngine.Role role;
    private final EngineObserver observer;
    private final TrafficKeyLog keyLog;
    private final boolean frames;
    private final boolean messages;
    private byte[] clientRandom;
    private long handshakeStart;
    private boolean ended;

    EngineEvents(QspEngine.Role role, QspEngineConfig config) {
        this.role = role;
        this.observer = config.observer();
        this.keyLog = config.keyLog();
        this.frames = observer.observesFrames();
        this.messages = observer.observesMessages();
    }

    /** The hook {@link RecordLayer} calls, or null when neither frames nor keys are wanted. */
    RecordHook recordHook() {
        if (!frames && keyLog == null) return null;
        return new RecordHook() {
            @Override
            public void frame(boolean sent, FrameType type, int epoch, long seq, int length) {
                if (frames) observer.frame(sent, type, epoch, seq, length);
            }

            @Override
            public void keyInstalled(boolean send, AeadSuite suite, int epoch, SecretKey key) {
                if (keyLog == null || clientRandom == null) return;
                boolean c2s = send == (role == QspEngine.Role.CLIENT);
                keyLog.trafficKey(clientRandom.clone(), epoch, c2s, suite, key);
            }
        };
    }

    void started(long now) {
        handshakeStart = now;
        observer.started(role);
    }

    /** A handshake message this side sends: the client's first is its ClientHello, whose random labels the connection. */
    void handshakeSent(byte[] encoded) {
        if (clientRandom == null && role == QspEngine.Role.CLIENT) label(encoded);
        if (messages) observer.handshakeMessage(true, encoded[0] & 0xFF, encoded.length);
    }

    void handshakeReceived(byte[] encoded) {
        if (clientRandom == null && role == QspEngine.Role.SERVER) label(encoded);
        if (messages) observer.handshakeMessage(false, encoded[0] & 0xFF, encoded.length);
    }

    /** ClientHello = u8 type ‖ u24 length ‖ u16 version ‖ random[32] (SPEC.md §4.4, §4.5). */
    private void label(byte[] encoded) {
        int at = 4 + 2;
        if (encoded[0] != HandshakeMessage.CLIENT_HELLO || encoded.length < at + ClientHello.RANDOM_LENGTH) return;
        clientRandom = Arrays.copyOfRange(encoded, at, at + ClientHello.RANDOM_LENGTH);
        observer.clientRandom(clientRandom.clone());
    }

    void rekeySent(byte[] plaintext) {
        if (!messages) return;
        try {
            observer.rekeyMessage(true, RekeyMessage.decode(plaintext, 0, plaintext.length));
        } catch (QspProtocolException e) {
            throw new IllegalStateException("the engine encoded a rekey message it cannot decode", e);
        }
    }

    void rekeyReceived(RekeyMessage m) {
        if (messages) observer.rekeyMessage(false, m);
    }

    void handshakeComplete(SessionInfo session, long now) {
        observer.handshakeComplete(role, session, now - handshakeStart);
    }

    void rekeyComplete(RekeyKind kind, int epoch, long nanos, List<KeySourceInfo> fresh) {
        observer.rekeyComplete(role, kind, epoch, nanos, fresh);
    }

    /** The engine's failure: called once, before the engine erases its keys. */
    void failed(QspProtocolException e, boolean handshakeComplete, boolean rekeyInFlight) {
        observer.failed(role, e, !handshakeComplete ? EngineObserver.Phase.HANDSHAKE
                : rekeyInFlight ? EngineObserver.Phase.REKEY : EngineObserver.Phase.TRAFFIC);
    }

    void applicationData(boolean sent, int n) {
        if (n > 0) observer.applicationData(sent, n);
    }

    void ended(boolean handshakeComplete) {
        if (ended) return;
        ended = true;
        observer.ended(handshakeComplete);
    }
}
