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
    private final QspEngineConfig config;
    private final SecureRandom random;
    private final KeySchedule schedule;
    private final Transcript transcript = new Transcript();
    private final MessageSink sink;
    /** Where key-source calls go: run at once, or handed out as a task (SPEC.md §4.15). */
    private final DelegatedTasks tasks;

    // What has been negotiated so far; the last state hands it to the engine in HandshakeState.Complete.
    private AeadSuite aead;
    private SignatureScheme serverSignature;
    private final List<KeySource> negotiatedSources = new ArrayList<>();
    /** Ids of the sources that contributed a non-empty secret (a source may signal in-band that it has none). */
    private final List<String> contributedSources = new ArrayList<>();
    /** What every negotiated (or absent non-KEM) source did, for the session (SPEC.md §5.4). */
    private final List<KeySourceInfo> sourceInfo = new ArrayList<>();
    private List<X509Certificate> peerChain = List.of();
    private String peerIdentity;
    private SecretKey handshakeSecret;

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

    QspEngineConfig config() { return config; }

    /** Fresh random bytes (hello randoms). */
    byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    /** Adds a received message to the transcript (a sent one goes through {@link #send}). */
    void addToTranscript(byte[] encoded) { transcript.add(encoded); }

    /** The AEAD and the server's signature scheme, once the hellos have fixed them (SPEC.md §4.2). */
    void suite(AeadSuite aead, SignatureScheme serverSignature) {
        this.aead = aead;
        this.serverSignature = serverSignature;
    }

    SignatureScheme serverSignature() { return serverSignature; }

    /** The sources that take part (one per slot at most, SPEC.md §4.5), in the order of the list received. */
    void negotiated(List<KeySource> sources) { negotiatedSources.addAll(sources); }

    /** This side's signature over the transcript so far, for its CertificateVerify (SPEC.md §4.6). */
    byte[] sign(SignatureScheme scheme, java.security.PrivateKey key, String context) throws QspProtocolException {
        return PeerAuthenticator.sign(scheme, key, context, transcript.current(), random);
    }

    /** This side's Finished MAC (direction {@code own}) over the transcript so far (SPEC.md §4.6). */
    Finished finished(Direction own) throws QspProtocolException {
        return new Finished(schedule.finishedMac(handshakeSecret, own, transcript.current()));
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

    private SessionInfo session() {
        String kemId = null;
        for (KeySource s : negotiatedSources) if (s.slot() == KeySource.Slot.KEM) kemId = s.id();
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
    private List<KeySource> freshRekeySources() {
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

    /**
     * Stage 3 at the end of the handshake (HS is no longer needed afterwards): the negotiated values and E_0, for
     * the engine to go on with (SPEC.md §4.12).
     */
    HandshakeState.Complete finish() throws QspHandshakeException {
        SecretKey epochZero;
        try {
            epochZero = schedule.epochZero(handshakeSecret, transcript.current());
        } catch (dev.qsp.sockets.QspProtocolException e) {
            throw new QspHandshakeException(QspError.INTERNAL, e.detail(), false, e.getCause());
        } finally {
            Secrets.destroy(handshakeSecret);
            handshakeSecret = null;
            transcript.release(); // its last hash was E_0's; an established connection keeps no SHA-384 state
        }
        return new HandshakeState.Complete(session(), aead, freshRekeySources(), epochZero);
    }

    void destroy() {
        Secrets.destroy(handshakeSecret);
        handshakeSecret = null;
    }
}
