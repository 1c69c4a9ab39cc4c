package dev.qsp.provider.kem;

import java.io.ByteArrayOutputStream;

/**
 * The few fixed DER shapes the hybrid keys use (SPEC.md §2): a SubjectPublicKeyInfo (RFC 5280 §4.1) and a
 * PKCS#8 v1 PrivateKeyInfo (RFC 5208 / RFC 5958), each with an AlgorithmIdentifier whose parameters are absent.
 *
 * <p>For a given OID and key length these encodings are fixed byte strings followed by the key, because DER has
 * exactly one encoding per value. Parsing is therefore an exact comparison of the prefix and the total length,
 * which rejects every other shape (parameters present, attributes, BER lengths, a different OID) without an
 * ASN.1 parser.
 */
final class Der {
    private Der() {
    }

    /** {@code 30 L { 30 L { OID } 03 L 00 } } — the bytes of an SPKI before the key itself. */
    static byte[] spkiPrefix(byte[] oidDer, int keyLength) {
        byte[] algId = tlv(0x30, oidDer);
        byte[] bitStringHeader = header(0x03, keyLength + 1);
        int inner = algId.length + bitStringHeader.length + 1 + keyLength;
        return concat(header(0x30, inner), algId, bitStringHeader, new byte[] {0x00});
    }

    /**
     * {@code 30 L { 02 01 00, 30 L { OID }, 04 L [04 L] } } — the bytes of a PKCS#8 PrivateKeyInfo before the
     * key. With {@code nested} the privateKey OCTET STRING holds another OCTET STRING (the JDK 25 ML-KEM form);
     * without, it holds the key bytes directly (the X-Wing draft's form).
     */
    static byte[] pkcs8Prefix(byte[] oidDer, int keyLength, boolean nested) {
        byte[] version = {0x02, 0x01, 0x00};
        byte[] algId = tlv(0x30, oidDer);
        byte[] innerOctets = nested ? header(0x04, keyLength) : new byte[0];
        byte[] outerOctets = header(0x04, innerOctets.length + keyLength);
        int inner = version.length + algId.length + outerOctets.length + innerOctets.length + keyLength;
        return concat(header(0x30, inner), version, algId, outerOctets, innerOctets);
    }

    /** The DER encoding of a dotted OBJECT IDENTIFIER (X.690 §8.19). */
    static byte[] oid(String dotted) {
        String[] arcs = dotted.split("\\.");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writeArc(out, Long.parseLong(arcs[0]) * 40 + Long.parseLong(arcs[1]));
        for (int i = 2; i < arcs.length; i++) {
            writeArc(out, Long.parseLong(arcs[i]));
        }
        byte[] body = out.toByteArray();
        return concat(header(0x06, body.length), body);
    }

    private static void writeArc(ByteArrayOutputStream out, long arc) {
        int groups = 1;
        for (long v = arc >>> 7; v != 0; v >>>= 7) {
            groups++;
        }
        for (int g = groups - 1; g >= 0; g--) {
            int b = (int) ((arc >>> (7 * g)) & 0x7f);
            out.write(g == 0 ? b : b | 0x80);
        }
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int off = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, off, p.length);
            off += p.length;
        }
        return out;
    }

    /** True if {@code encoding} is exactly {@code prefix} followed by {@code keyLength} bytes. */
    static boolean hasShape(byte[] encoding, byte[] prefix, int keyLength) {
        if (encoding.length != prefix.length + keyLength) {
            return false;
        }
        return java.util.Arrays.equals(encoding, 0, prefix.length, prefix, 0, prefix.length);
    }

    private static byte[] tlv(int tag, byte[] content) {
        return concat(header(tag, content.length), content);
    }

    private static byte[] header(int tag, int length) {
        if (length < 0x80) {
            return new byte[] {(byte) tag, (byte) length};
        } else if (length < 0x100) {
            return new byte[] {(byte) tag, (byte) 0x81, (byte) length};
        } else if (length < 0x10000) {
            return new byte[] {(byte) tag, (byte) 0x82, (byte) (length >>> 8), (byte) length};
        }
        throw new IllegalArgumentException("DER length too large for the key encodings: " + length);
    }
}
