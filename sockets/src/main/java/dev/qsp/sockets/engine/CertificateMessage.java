package dev.qsp.sockets.engine;

import dev.qsp.sockets.QspError;
import dev.qsp.sockets.QspProtocolException;
import java.util.ArrayList;
import java.util.List;

/**
 * Certificate (SPEC.md §4.6): {@code u8(count) ‖ count × lp24(DER certificate)}, leaf first, at most
 * {@link #MAX_CERTIFICATES}. An empty list is how a client without identity answers a certificate request.
 *
 * @param certificates the DER certificates, leaf first (copied)
 */
public record CertificateMessage(List<byte[]> certificates) implements HandshakeMessage {
    /** At most this many certificates (SPEC.md §4.13). */
    public static final int MAX_CERTIFICATES = 8;

    /** Copies every certificate. */
    public CertificateMessage {
        List<byte[]> copy = new ArrayList<>();
        for (byte[] c : certificates) copy.add(c.clone());
        certificates = List.copyOf(copy);
    }

    @Override
    public int type() { return CERTIFICATE; }

    @Override
    public void writeBody(WireWriter w) {
        w.u8(certificates.size());
        for (byte[] c : certificates) w.lp24(c);
    }

    static CertificateMessage read(WireReader r) throws QspProtocolException {
        int n = r.u8("Certificate count");
        if (n > MAX_CERTIFICATES) {
            throw new QspProtocolException(QspError.DECODE_ERROR, "Certificate: " + n + " certificates, at most " + MAX_CERTIFICATES);
        }
        List<byte[]> certs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) certs.add(r.lp24("Certificate entry"));
        r.expectEnd("Certificate");
        return new CertificateMessage(certs);
    }

    @Override
    public String toString() { return "CertificateMessage[" + certificates.size() + " certificates]"; }
}
