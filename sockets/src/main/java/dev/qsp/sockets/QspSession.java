package dev.qsp.sockets;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/**
 * What a QSP connection negotiated and where it stands, as of the moment {@link QspSocket#getSession()} was
 * called (SPEC.md §6.4): the suite, the peer's identity and certificate chain, the current epoch, how many
 * rekeys have happened and which key sources contributed. An immutable snapshot; ask the socket again for
 * newer epoch and rekey figures.
 *
 * @param suite             a one-line description, e.g. {@code AES-256-GCM, x-wing, ML-DSA-65}
 * @param aead              the record-protection AEAD, e.g. {@code AES-256-GCM}
 * @param kem               the hybrid KEM of the handshake, e.g. {@code x-wing}
 * @param signatureAlgorithm the server's signature algorithm, e.g. {@code ML-DSA-65}
 * @param peerIdentity      the identity the peer proved (SAN or CN), or null for an anonymous client
 * @param peerCertificates  the peer's certificate chain, leaf first (empty for an anonymous client)
 * @param epoch             the current epoch of this side's sending direction
 * @param rekeyCount        completed rekeys since the handshake
 * @param keySources        ids of the key sources that contributed to the handshake
 */
public record QspSession(String suite, String aead, String kem, String signatureAlgorithm, String peerIdentity,
                         List<X509Certificate> peerCertificates, long epoch, long rekeyCount,
                         List<String> keySources) {
    public QspSession {
        peerCertificates = List.copyOf(peerCertificates);
        keySources = List.copyOf(keySources);
    }

    /** The peer's leaf certificate, if it presented one. */
    public Optional<X509Certificate> peerCertificate() {
        return peerCertificates.isEmpty() ? Optional.empty() : Optional.of(peerCertificates.getFirst());
    }

    @Override
    public String toString() {
        return "QspSession[" + suite + ", peer=" + peerIdentity + ", epoch=" + epoch + ", rekeys=" + rekeyCount
                + ", keySources=" + keySources + "]";
    }
}
