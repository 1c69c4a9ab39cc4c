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

    /**
     * The engine started (its first event).
     *
     * @param role the side it plays
     */
    default void started(QspEngine.Role role) {}

    /** {@return whether {@link #frame} should be called for every frame sent and every frame header received} */
    default boolean observesFrames() { return false; }

    /** {@return whether {@link #handshakeMessage} and {@link #rekeyMessage} should be called} */
    default boolean observesMessages() { return false; }

    /**
     * The ClientHello random, the connection's public label (SPEC.md §4.17): the client reports it when it
     * builds its ClientHello, the server when it receives one. Called at most once, before any other message
     * event of the connection.
     *
     * @param random the 32-byte random (the observer's own copy)
     */
    default void clientRandom(byte[] random) {}

    /**
     * A frame sent, or a frame header received (before its authentication), SPEC.md §4.3.
     *
     * @param sent   sent, or received
     * @param type   its type
     * @param epoch  its epoch (unsigned)
     * @param seq    its sequence number (unsigned)
     * @param length its payload length
     */
    default void frame(boolean sent, FrameType type, int epoch, long seq, int length) {}

    /**
     * A handshake message sent or received.
     *
     * @param sent   sent, or received
     * @param type   its type (SPEC.md §4.4)
     * @param length its encoded length
     */
    default void handshakeMessage(boolean sent, int type, int length) {}

    /**
     * A rekey message sent or received (SPEC.md §4.10).
     *
     * @param sent    sent, or received
     * @param message the message; its fields are public (offers are public keys and key IDs)
     */
    default void rekeyMessage(boolean sent, RekeyMessage message) {}

    /**
     * The handshake completed.
     *
     * @param role          the side this engine plays
     * @param session       what was negotiated
     * @param durationNanos the time since {@code start} on the engine's clock
     */
    default void handshakeComplete(QspEngine.Role role, SessionInfo session, long durationNanos) {}

    /**
     * A rekey completed at this side (server: REKEY_ACK processed; client: REKEY_COMMIT processed), {@code
     * durationNanos} after it began here (server: REKEY_INIT sent; client: REKEY_INIT received). {@code
     * freshSources} is what the key sources did in a fresh rekey, empty for a ratchet.
     *
     * @param role          the side this engine plays
     * @param kind          ratchet or fresh
     * @param newEpoch      the epoch now in use (unsigned)
     * @param durationNanos the time since the rekey began here
     * @param freshSources  what the key sources did (fresh only)
     */
    default void rekeyComplete(QspEngine.Role role, RekeyKind kind, int newEpoch, long durationNanos,
                               List<KeySourceInfo> freshSources) {}

    /**
     * The engine failed (once per engine).
     *
     * @param role  the side this engine plays
     * @param error the error ({@link QspProtocolException#isRemote()}: whether the peer reported it)
     * @param phase when
     */
    default void failed(QspEngine.Role role, QspProtocolException error, Phase phase) {}

    /**
     * Application plaintext bytes sealed, or handed to the application.
     *
     * @param sent  sealed, or handed to the application
     * @param bytes how many
     */
    default void applicationData(boolean sent, int bytes) {}

    /**
     * The engine erased its keys for good (closed both ways, failed, aborted or destroyed); called once.
     *
     * @param handshakeCompleted whether its handshake had completed
     */
    default void ended(boolean handshakeCompleted) {}
}
