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

    /** The handshake is over; E_0 is in the context. Receives nothing. */
    record Complete() implements HandshakeState {
        @Override
        public HandshakeState handle(HandshakeContext ctx, HandshakeMessage m, byte[] encoded) throws QspProtocolException {
            throw unexpected(m, "after the handshake");
        }
    }

    static QspProtocolException unexpected(HandshakeMessage m, String waitingFor) {
        return new QspProtocolException(QspError.UNEXPECTED_MESSAGE,
                m.getClass().getSimpleName() + " received " + waitingFor);
    }
}
