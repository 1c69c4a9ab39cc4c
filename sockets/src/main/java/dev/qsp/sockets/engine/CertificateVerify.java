package dev.qsp.sockets.engine;

import dev.qsp.sockets.QspProtocolException;

/**
 * CertificateVerify (SPEC.md §4.6): {@code u16 signature_scheme ‖ lp16(signature)}, the signature over
 * {@code context_string ‖ 0x00 ‖ transcript_hash} as in TLS 1.3 (RFC 8446 §4.4.3).
 *
 * @param schemeId  the u16 signature scheme (SPEC.md §4.2)
 * @param signature the signature (copied)
 */
public record CertificateVerify(int schemeId, byte[] signature) implements HandshakeMessage {
    /** Copies the signature. */
    public CertificateVerify {
        signature = signature.clone();
    }

    /** {@return a copy of the signature} */
    @Override
    public byte[] signature() { return signature.clone(); }

    @Override
    public int type() { return CERTIFICATE_VERIFY; }

    @Override
    public void writeBody(WireWriter w) { w.u16(schemeId).lp16(signature); }

    static CertificateVerify read(WireReader r) throws QspProtocolException {
        int scheme = r.u16("CertificateVerify scheme");
        byte[] sig = r.lp16("CertificateVerify signature");
        r.expectEnd("CertificateVerify");
        return new CertificateVerify(scheme, sig);
    }
}
