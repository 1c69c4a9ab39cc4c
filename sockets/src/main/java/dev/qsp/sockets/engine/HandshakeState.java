package dev.qsp.sockets.engine;

import dev.qsp.sockets.QspError;
import dev.qsp.sockets.QspProtocolException;

/**
 * A handshake state, named for what it waits for (SPEC.md §4.12). {@link #handle} consumes one received message
 * and returns the next state; a message the state does not expect is {@code UNEXPECTED_MESSAGE}.
 */
sealed interface HandshakeState
        permits ClientHandshake.ExpectServerHello, ClientHandshake.ExpectServerCertificate,
        ClientHandshake.ExpectServerCertificateVerify, ClientHandshake.ExpectServerFinished,
        ServerHandshake.ExpectClientHello, ServerHandshake.ExpectClientCertificate,
        ServerHandshake.ExpectClientCertificateVerify, ServerHandshake.ExpectClientFinished,
        HandshakeState.Awaiting, HandshakeState.Complete {

    HandshakeState handle(HandshakeContext ctx, HandshakeMessage message, byte[] encoded) throws QspProtocolException;

    /** Erases secret state the state holds (ephemeral KEM keys) when the handshake is abandoned. */
    default void destroy() {}

    /** What a state does with a key-source task's result: the next state (SPEC.md §4.15). */
    interface Step<T> {
        HandshakeState apply(T result) throws QspProtocolException;
    }

    /**
     * Waiting for a key-source task (SPEC.md §4.15): no message is handled meanwhile (the engine buffers them);
     * when the engine consumes the task's result, {@link #next} is set and the engine moves on to it.
     */
    final class Awaiting implements HandshakeState {
        HandshakeState next;

        @Override
        public HandshakeState handle(HandshakeContext ctx, HandshakeMessage m, byte[] encoded) throws QspProtocolException {
            throw new QspProtocolException(QspError.INTERNAL, "handshake message handled while a key-source task is outstanding");
        }

        @Override
        public void destroy() { if (next != null) next.destroy(); }
    }

    /**
     * The handshake is over (SPEC.md §4.12): what it negotiated, for the engine to go on with — the session, the
     * AEAD, the sources a fresh rekey offers again (§4.10) and E_0, which the engine hands to its rekey driver.
     * Receives nothing. {@link #destroy} erases E_0 (a no-op once the rekey driver has superseded it).
     *
     * @param session           what the handshake negotiated, as {@link QspEngine#session()} reports it
     * @param aead              the AEAD of every epoch
     * @param freshRekeySources the negotiated sources except a QKD one that contributed nothing (§4.10 {@code kind})
     * @param epochZero         E_0 (SPEC.md §3 stage 3)
     */
    record Complete(SessionInfo session, AeadSuite aead, java.util.List<dev.qsp.keysources.KeySource> freshRekeySources,
                    javax.crypto.SecretKey epochZero) implements HandshakeState {
        @Override
        public HandshakeState handle(HandshakeContext ctx, HandshakeMessage m, byte[] encoded) throws QspProtocolException {
            throw unexpected(m, "after the handshake");
        }

        @Override
        public void destroy() { Secrets.destroy(epochZero); }

        @Override
        public String toString() { return "Complete[" + session + "]"; } // never E_0
    }

    static QspProtocolException unexpected(HandshakeMessage m, String waitingFor) {
        return new QspProtocolException(QspError.UNEXPECTED_MESSAGE,
                m.getClass().getSimpleName() + " received " + waitingFor);
    }
}
