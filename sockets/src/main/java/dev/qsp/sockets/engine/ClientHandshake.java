package dev.qsp.sockets.engine;

import dev.qsp.keysources.KeySource;
import dev.qsp.keysources.KeySourceException;
import dev.qsp.provider.kdf.Direction;
import dev.qsp.sockets.QspError;
import dev.qsp.sockets.QspIdentity;
import dev.qsp.sockets.QspProtocolException;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The client's handshake states (SPEC.md §4.6, §4.12). */
final class ClientHandshake {
    private ClientHandshake() {}

    /** Sends the ClientHello: every configured key source makes an offer (the KEM ones an ephemeral share). */
    static HandshakeState start(HandshakeContext ctx) throws QspProtocolException {
        Map<String, KeySource.Initiation> initiations = new LinkedHashMap<>();
        List<KeySourceEntry> offers = new ArrayList<>();
        try {
            for (KeySource s : ctx.config.keySources()) {
                KeySource.Initiation i = s.initiate();
                initiations.put(s.id(), i);
                offers.add(new KeySourceEntry(s.id(), i.offer()));
            }
        } catch (KeySourceException e) {
            initiations.values().forEach(KeySource.Initiation::destroy);
            throw new QspProtocolException(QspError.KEY_SOURCE_FAILED, e.getMessage(), false, e);
        }
        byte[] random = new byte[ClientHello.RANDOM_LENGTH];
        ctx.random.nextBytes(random);
        List<Integer> aeads = new ArrayList<>();
        for (AeadSuite a : ctx.config.aeadSuites()) aeads.add(a.id());
        List<Integer> sigs = new ArrayList<>();
        for (SignatureScheme s : ctx.config.signatureSchemes()) sigs.add(s.id());
        String name = ctx.config.expectedPeerIdentity() == null ? "" : ctx.config.expectedPeerIdentity();
        ClientHello ch = new ClientHello(Versions.V1, random, aeads, sigs, offers, name, ctx.config.identity() != null);
        byte[] enc = ch.encode();
        ctx.send(ch);
        return new ExpectServerHello(initiations, Transcript.hash(enc));
    }

    static final class ExpectServerHello implements HandshakeState {
        private final Map<String, KeySource.Initiation> initiations;
        private final byte[] clientHelloHash;

        ExpectServerHello(Map<String, KeySource.Initiation> initiations, byte[] clientHelloHash) {
            this.initiations = initiations;
            this.clientHelloHash = clientHelloHash;
        }

        @Override
        public void destroy() { initiations.values().forEach(KeySource.Initiation::destroy); }

        @Override
        public HandshakeState handle(HandshakeContext ctx, HandshakeMessage m, byte[] encoded) throws QspProtocolException {
            if (!(m instanceof ServerHello sh)) throw HandshakeState.unexpected(m, "while waiting for ServerHello");
            try {
                return accept(ctx, sh, encoded);
            } finally {
                initiations.values().forEach(KeySource.Initiation::destroy);
            }
        }

        private HandshakeState accept(HandshakeContext ctx, ServerHello sh, byte[] encoded) throws QspProtocolException {
            if (sh.version() != Versions.V1) {
                throw new QspProtocolException(QspError.UNSUPPORTED_VERSION, "server chose version " + sh.version());
            }
            if (!MessageDigest.isEqual(sh.clientHelloHash(), clientHelloHash)) {
                throw new QspProtocolException(QspError.DOWNGRADE,
                        "the server received a different ClientHello than this client sent");
            }
            AeadSuite aead = AeadSuite.fromId(sh.aeadId());
            if (aead == null || !ctx.config.aeadSuites().contains(aead)) {
                throw new QspProtocolException(QspError.ILLEGAL_PARAMETER, "server chose AEAD 0x" + Integer.toHexString(sh.aeadId()) + " that was not offered");
            }
            SignatureScheme sig = SignatureScheme.fromId(sh.signatureId());
            if (sig == null || !ctx.config.signatureSchemes().contains(sig)) {
                throw new QspProtocolException(QspError.ILLEGAL_PARAMETER, "server chose signature 0x" + Integer.toHexString(sh.signatureId()) + " that was not offered");
            }
            SlotSecrets secrets = new SlotSecrets();
            try {
                boolean haveKem = false;
                for (KeySourceEntry reply : sh.replies()) {
                    KeySource.Initiation init = initiations.get(reply.sourceId());
                    KeySource src = ctx.source(reply.sourceId());
                    if (init == null || src == null) {
                        throw new QspProtocolException(QspError.ILLEGAL_PARAMETER, "server replied for key source '" + reply.sourceId() + "' that was not offered");
                    }
                    if (src.slot() == KeySource.Slot.KEM) {
                        if (haveKem) throw new QspProtocolException(QspError.ILLEGAL_PARAMETER, "server answered two KEM offers");
                        haveKem = true;
                        ctx.kemId = src.id();
                    }
                    try {
                        byte[] secret = init.complete(reply.dataNoCopy());
                        if (secret.length > 0) ctx.contributedSources.add(src.id());
                        secrets.put(src.slot(), src.id(), secret);
                    } catch (KeySourceException e) {
                        throw new QspProtocolException(QspError.KEY_SOURCE_FAILED, e.getMessage(), false, e);
                    }
                    ctx.negotiatedSources.add(src);
                }
                if (!haveKem) throw new QspProtocolException(QspError.ILLEGAL_PARAMETER, "server answered no KEM offer");
                ctx.deriveHandshakeSecret(secrets);
            } finally {
                secrets.erase();
            }
            ctx.aead = aead;
            ctx.serverSignature = sig;
            ctx.transcript.add(encoded);
            return new ExpectServerCertificate(sh.clientAuthRequired());
        }
    }

    static final class ExpectServerCertificate implements HandshakeState {
        private final boolean clientAuthRequired;

        ExpectServerCertificate(boolean clientAuthRequired) { this.clientAuthRequired = clientAuthRequired; }

        @Override
        public HandshakeState handle(HandshakeContext ctx, HandshakeMessage m, byte[] encoded) throws QspProtocolException {
            if (!(m instanceof CertificateMessage cm)) throw HandshakeState.unexpected(m, "while waiting for the server's Certificate");
            List<X509Certificate> chain = PeerAuthenticator.parse(cm.certificates());
            PeerAuthenticator.validate(chain, ctx.config.trust(), ctx.config.expectedPeerIdentity());
            ctx.peerChain = chain;
            ctx.peerIdentity = PeerAuthenticator.identityOf(chain.getFirst());
            ctx.transcript.add(encoded);
            return new ExpectServerCertificateVerify(clientAuthRequired);
        }
    }

    static final class ExpectServerCertificateVerify implements HandshakeState {
        private final boolean clientAuthRequired;

        ExpectServerCertificateVerify(boolean clientAuthRequired) { this.clientAuthRequired = clientAuthRequired; }

        @Override
        public HandshakeState handle(HandshakeContext ctx, HandshakeMessage m, byte[] encoded) throws QspProtocolException {
            if (!(m instanceof CertificateVerify cv)) throw HandshakeState.unexpected(m, "while waiting for the server's CertificateVerify");
            if (cv.schemeId() != ctx.serverSignature.id()) {
                throw new QspProtocolException(QspError.ILLEGAL_PARAMETER, "CertificateVerify scheme differs from the one in ServerHello");
            }
            PeerAuthenticator.verify(ctx.serverSignature, ctx.peerChain.getFirst(), PeerAuthenticator.SERVER_CONTEXT,
                    ctx.transcript.current(), cv.signature());
            ctx.transcript.add(encoded);
            return new ExpectServerFinished(clientAuthRequired);
        }
    }

    static final class ExpectServerFinished implements HandshakeState {
        private final boolean clientAuthRequired;

        ExpectServerFinished(boolean clientAuthRequired) { this.clientAuthRequired = clientAuthRequired; }

        @Override
        public HandshakeState handle(HandshakeContext ctx, HandshakeMessage m, byte[] encoded) throws QspProtocolException {
            if (!(m instanceof Finished f)) throw HandshakeState.unexpected(m, "while waiting for the server's Finished");
            byte[] expected = ctx.schedule.finishedMac(ctx.handshakeSecret, Direction.SERVER_TO_CLIENT, ctx.transcript.current());
            if (!KeySchedule.macEquals(expected, f.verifyData())) {
                throw new QspProtocolException(QspError.BAD_FINISHED, "server Finished does not match the transcript");
            }
            ctx.transcript.add(encoded);
            if (clientAuthRequired) sendClientAuthentication(ctx);
            ctx.send(new Finished(ctx.schedule.finishedMac(ctx.handshakeSecret, Direction.CLIENT_TO_SERVER, ctx.transcript.current())));
            ctx.finish();
            return new HandshakeState.Complete();
        }

        private static void sendClientAuthentication(HandshakeContext ctx) throws QspProtocolException {
            QspIdentity id = ctx.config.identity();
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
            byte[] sig = PeerAuthenticator.sign(scheme, id.privateKey(), PeerAuthenticator.CLIENT_CONTEXT,
                    ctx.transcript.current(), ctx.random);
            ctx.send(new CertificateVerify(scheme.id(), sig));
        }
    }
}
