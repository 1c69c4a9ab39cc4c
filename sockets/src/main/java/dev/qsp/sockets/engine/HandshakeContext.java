package dev.qsp.sockets.engine;

import dev.qsp.keysources.KeySource;
import dev.qsp.sockets.QspError;
import dev.qsp.provider.kdf.Direction;
import dev.qsp.sockets.QspHandshakeException;
import dev.qsp.sockets.QspProtocolException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.crypto.SecretKey;

/**
 * What the handshake states of one role share (SPEC.md §4.6): configuration, randomness, the transcript, the
 * key schedule, the outgoing message sink and the values negotiated so far. The states hold only what is
 * specific to them; this is the rustls "common state".
 */
final class HandshakeContext {
    final QspEngineConfig config;
    final SecureRandom random;
    final KeySchedule schedule;
    final Transcript transcript = new Transcript();
    private final MessageSink sink;
    /** Where key-source calls go: run at once, or handed out as a task (SPEC.md §4.15). */
    final DelegatedTasks tasks;

    AeadSuite aead;
    SignatureScheme serverSignature;
    String kemId;
    final List<KeySource> negotiatedSources = new ArrayList<>();
    /** Ids of the sources that contributed a non-empty secret (a source may signal in-band that it has none). */
    final List<String> contributedSources = new ArrayList<>();
    /** What every negotiated (or absent non-KEM) source did, for the session (SPEC.md §5.4). */
    final List<KeySourceInfo> sourceInfo = new ArrayList<>();
    List<X509Certificate> peerChain = List.of();
    String peerIdentity;
    SecretKey handshakeSecret;
    /** Set by the last state: E_0. */
    SecretKey epochZero;

    /** Where a state puts the messages it sends. */
    interface MessageSink {
        void send(byte[] encodedMessage);
    }

    HandshakeContext(QspEngineConfig config, SecureRandom random, KeySchedule schedule, MessageSink sink, DelegatedTasks tasks) {
        this.config = config;
        this.tasks = tasks;
        this.random = random;
        this.schedule = schedule;
        this.sink = sink;
    }

    /**
     * Runs key-source calls ({@code work}) as a task and continues with {@code then} on its result: returns the
     * next state at once when the task ran inline, else an {@link HandshakeState.Awaiting} that gets it when the
     * engine consumes the result (SPEC.md §4.15). {@code erase} erases a result nobody will consume.
     */
    <T> HandshakeState await(KeySourceTask.Work<T> work, java.util.function.Consumer<? super T> erase,
                             HandshakeState.Step<? super T> then) throws QspProtocolException {
        HandshakeState.Awaiting a = new HandshakeState.Awaiting();
        tasks.submit(KeySourceTask.Kind.HANDSHAKE, work, erase, r -> a.next = then.apply(r));
        return a.next != null ? a.next : a;
    }

    /** Sends a message and adds it to the transcript. */
    void send(HandshakeMessage m) {
        byte[] enc = m.encode();
        transcript.add(enc);
        sink.send(enc);
    }

    KeySource source(String id) {
        for (KeySource s : config.keySources()) if (s.id().equals(id)) return s;
        return null;
    }

    SessionInfo session() {
        return new SessionInfo(aead, kemId, serverSignature, peerChain, peerIdentity, contributedSources, sourceInfo);
    }

    /**
     * The peer's Certificate (SPEC.md §4.6, §4.7): parses and validates the chain against the trust and the
     * purpose the peer's role needs and the expected identity, remembers it and adds the message to the transcript.
     */
    void acceptPeerCertificate(CertificateMessage m, byte[] encoded, CertificatePurpose purpose)
            throws QspProtocolException {
        List<X509Certificate> chain = PeerAuthenticator.parse(m.certificates());
        PeerAuthenticator.validate(chain, config.trust(), purpose, config.expectedPeerIdentity());
        peerChain = chain;
        peerIdentity = PeerAuthenticator.identityOf(chain.getFirst());
        // key sources bound to the peer's identity (QKD SAE ID, SPEC.md §5.2) check it now
        for (KeySource s : negotiatedSources) {
            try {
                s.peerAuthenticated(peerIdentity);
            } catch (dev.qsp.keysources.KeySourceException e) {
                throw KeySourceFailures.of(s, e, "");
            }
        }
        transcript.add(encoded);
    }

    /** The peer's CertificateVerify: its signature with {@code scheme} over the transcript so far (§4.6). */
    void acceptPeerCertificateVerify(SignatureScheme scheme, String context, CertificateVerify m, byte[] encoded)
            throws QspProtocolException {
        PeerAuthenticator.verify(scheme, peerChain.getFirst(), context, transcript.current(), m.signature());
        transcript.add(encoded);
    }

    /** The peer's Finished: the MAC of direction {@code peer} over the transcript so far, else BAD_FINISHED (§4.6). */
    void acceptPeerFinished(Direction peer, Finished m, byte[] encoded) throws QspProtocolException {
        byte[] expected = schedule.finishedMac(handshakeSecret, peer, transcript.current());
        if (!KeySchedule.macEquals(expected, m.verifyData())) {
            String who = peer == Direction.SERVER_TO_CLIENT ? "server" : "client";
            throw new QspProtocolException(QspError.BAD_FINISHED, who + " Finished does not match the transcript");
        }
        transcript.add(encoded);
    }

    /**
     * The sources a fresh rekey of this connection offers again (SPEC.md §4.10, §5.6): the negotiated ones, except
     * a QKD source that contributed nothing in the handshake: one side signalled it had no key (UNAVAILABLE), so
     * rekeys do not re-initiate it (otherwise a client without KME access could make the server draw keys).
     */
    List<KeySource> freshRekeySources() {
        List<KeySource> out = new ArrayList<>();
        for (KeySource s : negotiatedSources) {
            if (s.slot() == KeySource.Slot.QKD && !contributedSources.contains(s.id())) continue;
            out.add(s);
        }
        return out;
    }

    void recordSource(KeySource source, boolean contributed, String detail) {
        recordSource(new KeySourceInfo(source.id(), source.slot(), contributed, detail));
    }

    void recordSource(KeySourceInfo info) {
        if (info.contributed()) contributedSources.add(info.id());
        sourceInfo.add(info);
    }

    /** Derives HS from the per-slot secrets (erasing them) and keeps it. */
    void deriveHandshakeSecret(SlotSecrets secrets) throws QspHandshakeException {
        try {
            handshakeSecret = schedule.handshakeSecret(secrets.kem, secrets.qkd, secrets.psk);
        } catch (dev.qsp.sockets.QspProtocolException e) {
            throw new QspHandshakeException(e.error(), e.detail(), false, e.getCause());
        } finally {
            secrets.erase();
        }
    }

    /** Stage 3 at the end of the handshake; HS is no longer needed afterwards. */
    void finish() throws QspHandshakeException {
        try {
            epochZero = schedule.epochZero(handshakeSecret, transcript.current());
        } catch (dev.qsp.sockets.QspProtocolException e) {
            throw new QspHandshakeException(QspError.INTERNAL, e.detail(), false, e.getCause());
        } finally {
            Secrets.destroy(handshakeSecret);
            handshakeSecret = null;
            transcript.release(); // its last hash was E_0's; an established connection keeps no SHA-384 state
        }
    }

    void destroy() {
        Secrets.destroy(handshakeSecret);
        handshakeSecret = null;
    }
}
