package dev.qsp.sockets.engine;

import dev.qsp.sockets.QspProtocolException;
import java.util.List;

/**
 * Receives what one engine does, for debug logs, JFR events and counters (SPEC.md §6.6). Every argument is public
 * information (message names and lengths, epochs, negotiated algorithms, error codes): no method ever receives
 * key material; secrets go only to a {@link TrafficKeyLog}, and only when one is configured. Called on the
 * engine's thread, inside its calls: implementations must be quick and must not call back into the engine.
 *
 * <p>One observer serves one engine (the socket layer makes one per connection). Every method has an empty
 * default; {@link #NONE} is the default of {@link QspEngineConfig}. The per-frame and per-message methods are
 * called only if {@link #observesFrames()} / {@link #observesMessages()} say so, read once when the engine is
 * built, so an engine whose observer does not want them pays nothing for them.
 */
public interface EngineObserver {
    /** Observes nothing. */
    EngineObserver NONE = new EngineObserver() {};

    /** Where in its life the connection was when it failed. */
    enum Phase {
        /** Before the handshake completed. */
        HANDSHAKE,
        /** After the handshake, with no rekey in flight. */
        TRAFFIC,
        /** After the handshake, while a rekey was in flight. */
        REKEY
    }

    /** The engine started (its first event): {@code role} is the side it plays. */
    default void started(QspEngine.Role role) {}

    /** Whether {@link #frame} should be called for every frame sent and every frame header received. */
    default boolean observesFrames() { return false; }

    /** Whether {@link #handshakeMessage} and {@link #rekeyMessage} should be called. */
    default boolean observesMessages() { return false; }

    /**
     * The ClientHello random, the connection's public label (SPEC.md §4.17): the client reports it when it
     * builds its ClientHello, the server when it receives one. Called at most once, before any other message
     * event of the connection. The array is the observer's own copy.
     */
    default void clientRandom(byte[] random) {}

    /** A frame sent, or a frame header received (before its authentication), SPEC.md §4.3. */
    default void frame(boolean sent, FrameType type, int epoch, long seq, int length) {}

    /** A handshake message sent or received: its type (SPEC.md §4.4) and encoded length. */
    default void handshakeMessage(boolean sent, int type, int length) {}

    /** A rekey message sent or received (SPEC.md §4.10); its fields are public (offers are public keys and key IDs). */
    default void rekeyMessage(boolean sent, RekeyMessage message) {}

    /** The handshake completed, {@code durationNanos} after {@code start} on the engine's clock. */
    default void handshakeComplete(QspEngine.Role role, SessionInfo session, long durationNanos) {}

    /**
     * A rekey completed at this side (server: REKEY_ACK processed; client: REKEY_COMMIT processed), {@code
     * durationNanos} after it began here (server: REKEY_INIT sent; client: REKEY_INIT received). {@code
     * freshSources} is what the key sources did in a fresh rekey, empty for a ratchet.
     */
    default void rekeyComplete(QspEngine.Role role, RekeyKind kind, int newEpoch, long durationNanos,
                               List<KeySourceInfo> freshSources) {}

    /** The engine failed (once per engine): the error, whether the peer reported it, and when. */
    default void failed(QspEngine.Role role, QspProtocolException error, Phase phase) {}

    /** Application plaintext bytes sealed ({@code sent}) or handed to the application. */
    default void applicationData(boolean sent, int bytes) {}

    /** The engine erased its keys for good (closed both ways, failed, aborted or destroyed); called once. */
    default void ended(boolean handshakeCompleted) {}
}
