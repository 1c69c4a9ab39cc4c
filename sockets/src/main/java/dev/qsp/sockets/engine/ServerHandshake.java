package dev.qsp.sockets.engine;

import dev.qsp.keysources.KeySource;
import dev.qsp.provider.kdf.Direction;
import dev.qsp.sockets.QspError;
import dev.qsp.sockets.QspIdentity;
import dev.qsp.sockets.QspProtocolException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/** The server's handshake states (SPEC.md §4.6, §4.12). */
final class ServerHandshake {
    private ServerHandshake() {}

    static HandshakeState start() { return new ExpectClientHello(); }

    static final class ExpectClientHello implements HandshakeState {
        @Override
        public HandshakeState handle(HandshakeContext ctx, HandshakeMessage m, byte[] encoded) throws QspProtocolException {
            if (!(m instanceof ClientHello ch)) throw HandshakeState.unexpected(m, "while waiting for ClientHello");
            if (ch.version() != Versions.V1) {
                throw new QspProtocolException(QspError.UNSUPPORTED_VERSION, "client offered version " + ch.version());
            }
            QspIdentity identity = ctx.config().identity();
            AeadSuite aead = chooseAead(ctx, ch);
            SignatureScheme sig = SignatureScheme.forKey(identity.privateKey());
            if (sig == null || !ch.signatureIds().contains(sig.id()) || !ctx.config().signatureSchemes().contains(sig)) {
                throw new QspProtocolException(QspError.NO_COMMON_SUITE, "the client does not accept this server's signature scheme "
                        + (sig == null ? identity.privateKey().getAlgorithm() : sig.jcaName()));
            }
            ctx.addToTranscript(encoded);
            ctx.suite(aead, sig);
            List<KeySource> answering = chooseSources(ctx, ch);
            // respond() for every answered offer is a task (SPEC.md §4.15); the server's flight follows its result.
            return ctx.await(() -> KeySourceNegotiation.respond(answering, ch.offers(), ""), KeySourceNegotiation::destroyResponses,
                    responses -> {
                        try {
                            return sendFlight(ctx, ch, encoded, aead, sig, answering, responses);
                        } finally {
                            KeySourceNegotiation.destroyResponses(responses);
                        }
                    });
        }

        private static HandshakeState sendFlight(HandshakeContext ctx, ClientHello ch, byte[] encoded, AeadSuite aead,
                                                 SignatureScheme sig, List<KeySource> answering,
                                                 List<KeySource.Response> responses) throws QspProtocolException {
            QspIdentity identity = ctx.config().identity();
            KeySourceNegotiation.Answer answer = KeySourceNegotiation.answer(answering, ch.offers(), responses);
            try {
                for (KeySourceInfo info : answer.info()) ctx.recordSource(info);
                ctx.negotiated(answering);
                for (KeySource src : ctx.config().keySources()) {
                    if (src.slot() == KeySource.Slot.KEM || KeySourceEntry.find(ch.offers(), src.id()) != null) continue;
                    if (src.initiates()) ctx.recordSource(src, false, "not offered by the peer"); // not if disabled here
                }
                ctx.deriveHandshakeSecret(answer.secrets());
            } finally {
                answer.secrets().erase();
            }
            List<KeySourceEntry> replies = answer.replies();
            byte[] random = ctx.randomBytes(ClientHello.RANDOM_LENGTH);
            boolean clientAuth = ctx.config().requireClientAuth();
            ctx.send(new ServerHello(Versions.V1, random, Transcript.hash(encoded), aead.id(), sig.id(), replies, clientAuth));
            List<byte[]> der = new ArrayList<>();
            try {
                for (X509Certificate c : identity.chain()) der.add(c.getEncoded());
            } catch (CertificateEncodingException e) {
                throw new QspProtocolException(QspError.INTERNAL, "own certificate does not encode", false, e);
            }
            ctx.send(new CertificateMessage(der));
            byte[] signature = ctx.sign(sig, identity.privateKey(), PeerAuthenticator.SERVER_CONTEXT);
            ctx.send(new CertificateVerify(sig.id(), signature));
            ctx.send(ctx.finished(Direction.SERVER_TO_CLIENT));
            return clientAuth ? new ExpectClientCertificate() : new ExpectClientFinished();
        }

        /** Server preference order among the client's offers (SPEC.md §4.2). */
        private static AeadSuite chooseAead(HandshakeContext ctx, ClientHello ch) throws QspProtocolException {
            for (AeadSuite a : ctx.config().aeadSuites()) if (ch.aeadIds().contains(a.id())) return a;
            throw new QspProtocolException(QspError.NO_COMMON_SUITE, "no common AEAD");
        }

        /**
         * The sources that answer ({@link KeySourceNegotiation#answering}, SPEC.md §4.5). Configured non-KEM sources
         * the client did not offer: QKD under REQUIRE aborts here (SPEC.md §5.4), before any key source is asked.
         */
        private static List<KeySource> chooseSources(HandshakeContext ctx, ClientHello ch) throws QspProtocolException {
            List<KeySource> answering = KeySourceNegotiation.answering(ch.offers(), ctx.config().keySources());
            for (KeySource src : ctx.config().keySources()) {
                if (src.slot() == KeySource.Slot.KEM || KeySourceEntry.find(ch.offers(), src.id()) != null) continue;
                KeySourceNegotiation.peerAbsent(src);
            }
            return answering;
        }
    }

    static final class ExpectClientCertificate implements HandshakeState {
        @Override
        public HandshakeState handle(HandshakeContext ctx, HandshakeMessage m, byte[] encoded) throws QspProtocolException {
            if (!(m instanceof CertificateMessage cm)) throw HandshakeState.unexpected(m, "while waiting for the client's Certificate");
            if (cm.certificates().isEmpty()) {
                throw new QspProtocolException(QspError.BAD_CERTIFICATE, "client authentication is required and the client sent no certificate");
            }
            ctx.acceptPeerCertificate(cm, encoded, CertificatePurpose.CLIENT);
            return new ExpectClientCertificateVerify();
        }
    }

    static final class ExpectClientCertificateVerify implements HandshakeState {
        @Override
        public HandshakeState handle(HandshakeContext ctx, HandshakeMessage m, byte[] encoded) throws QspProtocolException {
            if (!(m instanceof CertificateVerify cv)) throw HandshakeState.unexpected(m, "while waiting for the client's CertificateVerify");
            SignatureScheme scheme = SignatureScheme.fromId(cv.schemeId());
            if (scheme == null || !ctx.config().signatureSchemes().contains(scheme)) {
                throw new QspProtocolException(QspError.ILLEGAL_PARAMETER, "client signed with scheme 0x" + Integer.toHexString(cv.schemeId()) + " this server does not accept");
            }
            ctx.acceptPeerCertificateVerify(scheme, PeerAuthenticator.CLIENT_CONTEXT, cv, encoded);
            return new ExpectClientFinished();
        }
    }

    static final class ExpectClientFinished implements HandshakeState {
        @Override
        public HandshakeState handle(HandshakeContext ctx, HandshakeMessage m, byte[] encoded) throws QspProtocolException {
            if (!(m instanceof Finished f)) throw HandshakeState.unexpected(m, "while waiting for the client's Finished");
            ctx.acceptPeerFinished(Direction.CLIENT_TO_SERVER, f, encoded);
            return ctx.finish();
        }
    }
}
