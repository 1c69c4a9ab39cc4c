package dev.qsp.sockets;

import dev.qsp.sockets.engine.KeySourceInfo;
import dev.qsp.sockets.engine.RekeyKind;
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
 * @param lastRekeyKind     the kind of the rekey that led to the current epoch ({@code RATCHET}: HKDF only,
 *                          forward secrecy; {@code FRESH}: new KEM and QKD keys, post-compromise security), or
 *                          null in epoch 0
 * @param keySources        ids of the key sources that contributed to the handshake
 * @param keySourceInfo     every key source of the handshake with what it did: for QKD the key ID, or the
 *                          in-band fallback and its reason (SPEC.md §4.5, §5.4)
 * @param lastFreshRekeyEpoch the epoch the latest fresh rekey led to, or -1 if there was none
 * @param lastFreshRekeySources the key sources of that fresh rekey (for QKD its new key ID), empty if none
 */
public record QspSession(String suite, String aead, String kem, String signatureAlgorithm, String peerIdentity,
                         List<X509Certificate> peerCertificates, long epoch, long rekeyCount, RekeyKind lastRekeyKind,
                         List<String> keySources, List<KeySourceInfo> keySourceInfo, long lastFreshRekeyEpoch,
                         List<KeySourceInfo> lastFreshRekeySources) {
    /** Copies the lists, so that a session never changes after it was made. */
    public QspSession {
        peerCertificates = List.copyOf(peerCertificates);
        keySources = List.copyOf(keySources);
        keySourceInfo = List.copyOf(keySourceInfo);
        lastFreshRekeySources = List.copyOf(lastFreshRekeySources);
    }

    /** {@return whether the rekey that led to the current epoch was a fresh one (new KEM and, if used, QKD keys)} */
    public boolean currentEpochIsFresh() {
        return lastFreshRekeyEpoch >= 0 && lastFreshRekeyEpoch == epoch;
    }

    /** {@return the peer's leaf certificate, if it presented one} */
    public Optional<X509Certificate> peerCertificate() {
        return peerCertificates.isEmpty() ? Optional.empty() : Optional.of(peerCertificates.getFirst());
    }

    @Override
    public String toString() {
        return "QspSession[" + suite + ", peer=" + peerIdentity + ", epoch=" + epoch + ", rekeys=" + rekeyCount
                + (lastRekeyKind == null ? "" : ", last rekey " + lastRekeyKind.name().toLowerCase(java.util.Locale.ROOT))
                + ", keySources=" + keySourceInfo + "]";
    }
}
