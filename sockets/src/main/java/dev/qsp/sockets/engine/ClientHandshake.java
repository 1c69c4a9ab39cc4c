package dev.qsp.sockets.engine;

import dev.qsp.keysources.KeySource;
import dev.qsp.provider.kdf.Direction;
import dev.qsp.sockets.QspError;
import dev.qsp.sockets.QspIdentity;
import dev.qsp.sockets.QspProtocolException;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The client's handshake states (SPEC.md §4.6, §4.12). */
final class ClientHandshake {
    private ClientHandshake() {}

    /**
     * Sends the ClientHello: every configured key source that initiates makes an offer (the KEM ones an
     * ephemeral share, QKD a key ID or a signalled fallback; a QKD source under DISABLED makes none, SPEC.md §5.4).
     */
    static HandshakeState start(HandshakeContext ctx) throws QspProtocolException {
        List<KeySource> initiating = new ArrayList<>();
        for (KeySource s : ctx.config().keySources()) if (s.initiates()) initiating.add(s);
        // The key-source calls are a task (SPEC.md §4.15): the ClientHello is built when their offers are in.
        return ctx.await(() -> KeySourceNegotiation.initiate(initiating, ""), KeySourceNegotiation::destroyInitiations, inits -> {
            try {
                return sendClientHello(ctx, inits);
            } catch (RuntimeException e) {
                KeySourceNegotiation.destroyInitiations(inits);
                throw e;
            }
        });
    }

    private static HandshakeState sendClientHello(HandshakeContext ctx, Map<String, KeySource.Initiation> initiations) {
        List<KeySourceEntry> offers = KeySourceNegotiation.offers(initiations);
        byte[] random = ctx.randomBytes(ClientHello.RANDOM_LENGTH);
        List<Integer> aeads = new ArrayList<>();
        for (AeadSuite a : ctx.config().aeadSuites()) aeads.add(a.id());
        List<Integer> sigs = new ArrayList<>();
        for (SignatureScheme s : ctx.config().signatureSchemes()) sigs.add(s.id());
        String name = ctx.config().expectedPeerIdentity() == null ? "" : ctx.config().expectedPeerIdentity();
        ClientHello ch = new ClientHello(Versions.V1, random, aeads, sigs, offers, name, ctx.config().identity() != null);
        byte[] enc = ch.encode();
        ctx.send(ch);
        return new ExpectServerHello(initiations, offers, Transcript.hash(enc));
    }

    static final class ExpectServerHello implements HandshakeState {
        private final Map<String, KeySource.Initiation> initiations;
        /** The ClientHello's offers, as sent. */
        private final List<KeySourceEntry> offers;
        private final byte[] clientHelloHash;

        ExpectServerHello(Map<String, KeySource.Initiation> initiations, List<KeySourceEntry> offers, byte[] clientHelloHash) {
            this.initiations = initiations;
            this.offers = offers;
            this.clientHelloHash = clientHelloHash;
        }

        @Override
        public void destroy() { KeySourceNegotiation.destroyInitiations(initiations); }

        @Override
        public HandshakeState handle(HandshakeContext ctx, HandshakeMessage m, byte[] encoded) throws QspProtocolException {
            if (!(m instanceof ServerHello sh)) throw HandshakeState.unexpected(m, "while waiting for ServerHello");
            List<KeySource> answered;
            try {
                answered = check(ctx, sh);
            } catch (QspProtocolException | RuntimeException e) {
                destroy();
                throw e;
            }
            // Initiation.complete for every reply is a task (SPEC.md §4.15); the rest continues on its result.
            return ctx.await(() -> KeySourceNegotiation.complete(answered, sh.replies(), initiations, ""), secrets -> {
                if (secrets != null) secrets.erase();
                destroy();
            }, secrets -> {
                try {
                    return accept(ctx, sh, encoded, answered, secrets);
                } finally {
                    secrets.erase();
                    destroy();
                }
            });
        }

        /** Everything about the ServerHello that needs no key source; collects the answered sources in reply order. */
        private List<KeySource> check(HandshakeContext ctx, ServerHello sh) throws QspProtocolException {
            if (sh.version() != Versions.V1) {
                throw new QspProtocolException(QspError.UNSUPPORTED_VERSION, "server chose version " + sh.version());
            }
            if (!MessageDigest.isEqual(sh.clientHelloHash(), clientHelloHash)) {
                throw new QspProtocolException(QspError.DOWNGRADE,
                        "the server received a different ClientHello than this client sent");
            }
            AeadSuite aead = AeadSuite.fromId(sh.aeadId());
            if (aead == null || !ctx.config().aeadSuites().contains(aead)) {
                throw new QspProtocolException(QspError.ILLEGAL_PARAMETER, "server chose AEAD 0x" + Integer.toHexString(sh.aeadId()) + " that was not offered");
            }
            SignatureScheme sig = SignatureScheme.fromId(sh.signatureId());
            if (sig == null || !ctx.config().signatureSchemes().contains(sig)) {
                throw new QspProtocolException(QspError.ILLEGAL_PARAMETER, "server chose signature 0x" + Integer.toHexString(sh.signatureId()) + " that was not offered");
            }
            return KeySourceNegotiation.handshakeAnswered(sh.replies(), initiations, ctx.config().keySources());
        }

        private HandshakeState accept(HandshakeContext ctx, ServerHello sh, byte[] encoded, List<KeySource> answered,
                                      SlotSecrets secrets) throws QspProtocolException {
            for (KeySourceInfo info : KeySourceNegotiation.completed(answered, offers, sh.replies(), secrets)) ctx.recordSource(info);
            ctx.negotiated(answered);
            // Offered sources the server did not answer: a source that must contribute aborts (QKD under
            // REQUIRE); the others are shown as absent (SPEC.md §5.4). Unchosen KEM offers are simply unused.
            for (String id : initiations.keySet()) {
                KeySource src = ctx.source(id);
                if (src.slot() == KeySource.Slot.KEM || KeySourceEntry.find(sh.replies(), id) != null) continue;
                KeySourceNegotiation.peerAbsent(src);
                ctx.recordSource(src, false, "not answered by the peer");
            }
            ctx.deriveHandshakeSecret(secrets);
            ctx.suite(AeadSuite.fromId(sh.aeadId()), SignatureScheme.fromId(sh.signatureId()));
            ctx.addToTranscript(encoded);
            return new ExpectServerCertificate(sh.clientAuthRequired());
        }
    }

    /** Carries whether the ServerHello asked for client authentication, which the client sends after Finished. */
    record ExpectServerCertificate(boolean clientAuthRequired) implements HandshakeState {
        @Override
        public HandshakeState handle(HandshakeContext ctx, HandshakeMessage m, byte[] encoded) throws QspProtocolException {
            if (!(m instanceof CertificateMessage cm)) throw HandshakeState.unexpected(m, "while waiting for the server's Certificate");
            ctx.acceptPeerCertificate(cm, encoded, CertificatePurpose.SERVER);
            return new ExpectServerCertificateVerify(clientAuthRequired);
        }
    }

    /** Carries whether the ServerHello asked for client authentication, which the client sends after Finished. */
    record ExpectServerCertificateVerify(boolean clientAuthRequired) implements HandshakeState {
        @Override
        public HandshakeState handle(HandshakeContext ctx, HandshakeMessage m, byte[] encoded) throws QspProtocolException {
            if (!(m instanceof CertificateVerify cv)) throw HandshakeState.unexpected(m, "while waiting for the server's CertificateVerify");
            if (cv.schemeId() != ctx.serverSignature().id()) {
                throw new QspProtocolException(QspError.ILLEGAL_PARAMETER, "CertificateVerify scheme differs from the one in ServerHello");
            }
            ctx.acceptPeerCertificateVerify(ctx.serverSignature(), PeerAuthenticator.SERVER_CONTEXT, cv, encoded);
            return new ExpectServerFinished(clientAuthRequired);
        }
    }

    /** Carries whether the ServerHello asked for client authentication, which the client sends after Finished. */
    record ExpectServerFinished(boolean clientAuthRequired) implements HandshakeState {
        @Override
        public HandshakeState handle(HandshakeContext ctx, HandshakeMessage m, byte[] encoded) throws QspProtocolException {
            if (!(m instanceof Finished f)) throw HandshakeState.unexpected(m, "while waiting for the server's Finished");
            ctx.acceptPeerFinished(Direction.SERVER_TO_CLIENT, f, encoded);
            if (clientAuthRequired) sendClientAuthentication(ctx);
            ctx.send(ctx.finished(Direction.CLIENT_TO_SERVER));
            return ctx.finish();
        }

        private static void sendClientAuthentication(HandshakeContext ctx) throws QspProtocolException {
            QspIdentity id = ctx.config().identity();
            if (id == null) {
                ctx.send(new CertificateMessage(List.of()));
                return;
            }
            List<byte[]> der = new ArrayList<>();
            try {
                for (X509Certificate c : id.chain()) der.add(c.getEncoded());
            } catch (java.security.cert.CertificateEncodingException e) {
                throw new QspProtocolException(QspError.INTERNAL, "own certificate does not encode", false, e);
            }
            ctx.send(new CertificateMessage(der));
            SignatureScheme scheme = SignatureScheme.forKey(id.privateKey());
            if (scheme == null) {
                throw new QspProtocolException(QspError.INTERNAL, "own key algorithm " + id.privateKey().getAlgorithm() + " is not a supported signature scheme");
            }
            byte[] sig = ctx.sign(scheme, id.privateKey(), PeerAuthenticator.CLIENT_CONTEXT);
            ctx.send(new CertificateVerify(scheme.id(), sig));
        }
    }
}
