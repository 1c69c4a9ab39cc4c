package dev.qsp.sockets.engine;

import java.security.cert.X509Certificate;
import java.util.List;

/**
 * What was negotiated in the handshake (SPEC.md §4.5): the AEAD, the KEM, the signature scheme, the peer's
 * certificate chain (empty when the peer did not authenticate) and identity, and the ids of the key sources
 * that contributed a secret to the handshake (a source that signalled in-band that it had none is left out,
 * SPEC.md §5.4); {@code keySourceInfo} lists every key source of the handshake with what it did (the QKD key ID,
 * or its fallback). Epoch and rekey count change over time and are read from the engine; the key sources of the
 * latest fresh rekey are {@link QspEngine#lastFreshRekeySources()}.
 *
 * @param aead             the AEAD
 * @param kem              the id of the KEM-slot key source, e.g. {@code x-wing}
 * @param serverSignature  the server's signature scheme
 * @param peerCertificates the peer's chain, leaf first; empty when the peer did not authenticate
 * @param peerIdentity     the identity the peer's leaf names, or null
 * @param keySources       the ids of the key sources that contributed a secret
 * @param keySourceInfo    what every key source of the handshake did
 */
public record SessionInfo(AeadSuite aead, String kem, SignatureScheme serverSignature,
                          List<X509Certificate> peerCertificates, String peerIdentity, List<String> keySources,
                          List<KeySourceInfo> keySourceInfo) {
    /** Copies the lists. */
    public SessionInfo {
        peerCertificates = List.copyOf(peerCertificates);
        keySources = List.copyOf(keySources);
        keySourceInfo = List.copyOf(keySourceInfo);
    }

    /** {@return a one-line description, e.g. {@code AES-256-GCM, x-wing, ML-DSA-65}} */
    public String suite() { return aead.displayName() + ", " + kem + ", " + serverSignature.jcaName(); }

    /**
     * A one-line summary: suite, peer identity, the peer leaf's subject and issuer, the key sources. Never the
     * certificate chain (the record's generated form printed every certificate, ~32 KB with ML-DSA; issue 12).
     */
    @Override
    public String toString() {
        String peer = peerCertificates.isEmpty() ? "anonymous"
                : peerIdentity + " (subject " + peerCertificates.getFirst().getSubjectX500Principal().getName()
                        + ", issuer " + peerCertificates.getFirst().getIssuerX500Principal().getName() + ")";
        return "SessionInfo[" + suite() + ", peer=" + peer + ", keySources=" + keySourceInfo + "]";
    }
}
