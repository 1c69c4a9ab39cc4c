package dev.qsp.keysources;

/**
 * One contributor of secret material to a QSP handshake or fresh rekey (SPEC.md, "Key sources").
 *
 * <p>An exchange has two or three steps. The initiator (the client in a handshake, the server in a fresh rekey)
 * calls {@link #initiate()} and sends {@link Initiation#offer()} to the peer; the responder calls
 * {@link #respond(byte[])}, keeps {@link Response#secret()} and sends {@link Response#reply()} back; the initiator
 * passes that reply to {@link Initiation#complete(byte[])} to obtain the same secret. Offers and replies travel
 * in the handshake (or rekey) messages and are therefore bound into the transcript; secrets feed the key
 * schedule's slot {@link #slot()} through {@code QSP-KDF}.
 *
 * <p>A source may contribute nothing to one exchange without failing: its secret is then the empty array. That
 * happens only when the offer or reply says so in-band (the QKD source's UNAVAILABLE messages under policy
 * PREFER, SPEC.md §5.4), so the transcript shows it; the key schedule takes the empty string for that input
 * (SPEC.md §3 stage 1). A source that must contribute throws {@link KeySourceException} instead.
 *
 * <p>Implementations may block (a QKD source calls its key management entity). The engine calls them either
 * inline, from the thread that drives it, or (as the socket layer configures it) as a delegated task on a thread
 * of their own, never under the engine's lock (SPEC.md §4.15): one exchange's calls are made one after another,
 * but not necessarily on the same thread, and calls for different connections may run at the same time. Offers,
 * replies and secrets are fresh arrays owned by the caller.
 */
public interface KeySource {

    /** {@return the stable identifier sent on the wire and shown in the session, e.g. {@code "x-wing"}, {@code "qkd"}} */
    String id();

    /** {@return the key-schedule input this source feeds} */
    Slot slot();

    /**
     * Starts an exchange as initiator.
     *
     * @return the exchange, holding the offer to send
     * @throws KeySourceException if the source cannot take part (e.g. its KME is unreachable)
     */
    Initiation initiate() throws KeySourceException;

    /**
     * Answers an initiator's offer as responder.
     *
     * @param offer the initiator's offer, as received
     * @return the reply to send and the shared secret
     * @throws KeySourceException if the offer is malformed or the source cannot answer it
     */
    Response respond(byte[] offer) throws KeySourceException;

    /**
     * {@return whether this side offers the source when it starts a handshake as client} A source that only answers
     * (the QKD source under policy DISABLED, SPEC.md §5.4) returns false; the engine then leaves it out of the
     * ClientHello but still lets it answer offers as server.
     */
    default boolean initiates() {
        return true;
    }

    /**
     * The peer took no part in this source in a handshake: as server, the client offered nothing for it; as
     * client, the server did not answer its offer. The offer lists are in the transcript, so this is never
     * silent. A source whose policy requires it throws (the QKD source under REQUIRE, SPEC.md §5.4); the default
     * accepts the absence.
     *
     * @throws KeySourceException if this side requires the source
     */
    default void peerAbsent() throws KeySourceException {
    }

    /**
     * The peer's certificate has been verified and proves {@code peerIdentity} (its SAN dNSName or CN, SPEC.md
     * §4.7); called on both ends for every negotiated source. A source whose peer is bound to that identity
     * (QKD: {@code qsp.qkd.peer.sae.bind=identity}, §5.2) throws if it does not match. Default: nothing.
     *
     * @param peerIdentity the identity the peer's certificate proves
     * @throws KeySourceException if the source is bound to another identity
     */
    default void peerAuthenticated(String peerIdentity) throws KeySourceException {
    }

    /**
     * {@return a short public description of one exchange from its offer and reply, the same at both ends (e.g. the QKD
     * key ID, or the fallback and its reason), for the session and logs} Never secret material. Default: empty.
     *
     * @param offer the initiator's offer
     * @param reply the responder's reply
     */
    default String describe(byte[] offer, byte[] reply) {
        return "";
    }

    /** The key-schedule slots, in the order of the extract chain (SPEC.md, "Key schedule", stage 1). */
    enum Slot {
        /** The hybrid KEM shared secret. */
        KEM,
        /** A QKD key. */
        QKD,
        /** A pre-shared key. */
        PSK
    }

    /** The initiator's side of one exchange. */
    interface Initiation {
        /** {@return the bytes to send to the responder} */
        byte[] offer();

        /**
         * Completes the exchange with the responder's reply and returns the shared secret (empty if the offer or
         * the reply signalled that the source contributes nothing). Called at most once.
         *
         * @param reply the responder's reply, as received
         * @return the shared secret, owned by the caller
         * @throws KeySourceException if the reply is malformed or the secret cannot be obtained
         */
        byte[] complete(byte[] reply) throws KeySourceException;

        /** Erases any secret state held for this exchange. Idempotent. */
        void destroy();
    }

    /**
     * The responder's result: the reply to send and the shared secret. Erase the secret with
     * {@link #destroy()} once it has been fed to the key schedule.
     *
     * @param reply  the bytes to send to the initiator
     * @param secret the shared secret (empty: the source contributes nothing)
     */
    record Response(byte[] reply, byte[] secret) {
        /** Overwrites the secret with zeros. */
        public void destroy() {
            java.util.Arrays.fill(secret, (byte) 0);
        }

        /** {@return false when the source signalled in its reply that it contributes nothing (empty secret)} */
        public boolean contributed() {
            return secret.length > 0;
        }

        @Override
        public String toString() {
            return "Response[reply=" + reply.length + " bytes, secret=" + secret.length + " bytes]";
        }
    }
}
