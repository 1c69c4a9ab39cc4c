package dev.qsp.keysources.qkd;

import dev.qsp.keysources.qkd.QkdException.Reason;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The QKD source's offer, initiator to responder (SPEC.md §5.3):
 * <pre>
 * offer = u8(1) ‖ u8(kind) ‖ lp8(master_SAE_ID) ‖ body
 *   kind 1 KEY:          u16(key_size_bits) ‖ key_ID      (36 ASCII bytes, UUID text form)
 *   kind 2 UNAVAILABLE:  u8(reason)                        (QkdException.Reason wire code)
 * </pre>
 *
 * @param kind        KEY or UNAVAILABLE
 * @param masterSaeId the initiator's SAE ID (master of the enc_keys call)
 * @param keySizeBits the key's size (KEY), else 0
 * @param keyId       the key ID (KEY), else null
 * @param reason      why there is no key (UNAVAILABLE), else null
 */
public record QkdOffer(Kind kind, String masterSaeId, int keySizeBits, String keyId, Reason reason) {
    public static final int VERSION = 1;

    /** What an offer or reply says. */
    public enum Kind {
        /** A key ID (offer) or its acknowledgement (reply). */
        KEY(1),
        /** No QKD key on this side; the exchange contributes an empty secret (PREFER) or fails (REQUIRE). */
        UNAVAILABLE(2);

        final int code;

        Kind(int code) {
            this.code = code;
        }

        static Kind of(int code, WireReader r) throws QkdException {
            for (Kind k : values()) {
                if (k.code == code) {
                    return k;
                }
            }
            throw r.fail("unknown kind " + code);
        }
    }

    /**
     * {@return a KEY offer: the initiator drew a key and names it}
     *
     * @param masterSaeId the initiator's SAE ID
     * @param keySizeBits the key size in bits
     * @param keyId       the key ID from the initiator's KME
     */
    public static QkdOffer key(String masterSaeId, int keySizeBits, String keyId) {
        if (keySizeBits < 8 || keySizeBits > 0xffff || keySizeBits % 8 != 0 || !SaeIds.isKeyId(keyId)) {
            throw new IllegalArgumentException("bad KEY offer: " + keySizeBits + " bits, key ID " + keyId);
        }
        return new QkdOffer(Kind.KEY, SaeIds.requireSaeId(masterSaeId, "master SAE ID"), keySizeBits, keyId, null);
    }

    /**
     * {@return an UNAVAILABLE offer: the initiator has no key, and says why}
     *
     * @param masterSaeId the initiator's SAE ID
     * @param reason      why, a reason with a wire code
     */
    public static QkdOffer unavailable(String masterSaeId, Reason reason) {
        if (reason.wireCode() == 0) {
            throw new IllegalArgumentException("reason " + reason + " has no wire code");
        }
        return new QkdOffer(Kind.UNAVAILABLE, SaeIds.requireSaeId(masterSaeId, "master SAE ID"), 0, null, reason);
    }

    /** {@return the offer's wire form (SPEC.md §5.3)} */
    public byte[] encode() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64);
        out.write(VERSION);
        out.write(kind.code);
        byte[] sae = masterSaeId.getBytes(StandardCharsets.US_ASCII);
        out.write(sae.length);
        out.writeBytes(sae);
        if (kind == Kind.KEY) {
            out.write(keySizeBits >>> 8);
            out.write(keySizeBits);
            out.writeBytes(keyId.getBytes(StandardCharsets.US_ASCII));
        } else {
            out.write(reason.wireCode());
        }
        return out.toByteArray();
    }

    /**
     * Parses an offer.
     *
     * @param offer the wire form
     * @return the offer
     * @throws QkdException (MALFORMED_OFFER) on any deviation from the layout
     */
    public static QkdOffer parse(byte[] offer) throws QkdException {
        WireReader r = new WireReader(offer, Reason.MALFORMED_OFFER, "QKD offer");
        int version = r.u8("version");
        if (version != VERSION) {
            throw r.fail("unsupported version " + version + " (expected " + VERSION + ")");
        }
        Kind kind = Kind.of(r.u8("kind"), r);
        String sae = r.saeId("master_SAE_ID");
        QkdOffer o;
        if (kind == Kind.KEY) {
            int size = r.u16("key_size_bits");
            if (size < 8 || size % 8 != 0) {
                throw r.fail("key size " + size + " bits is not a positive multiple of 8");
            }
            String id = r.ascii(SaeIds.KEY_ID_LENGTH, "key_ID");
            if (!SaeIds.isKeyId(id)) {
                throw r.fail("key_ID \"" + id + "\" is not a UUID");
            }
            o = new QkdOffer(kind, sae, size, id, null);
        } else {
            o = new QkdOffer(kind, sae, 0, null, reasonFrom(r));
        }
        r.end();
        return o;
    }

    static Reason reasonFrom(WireReader r) throws QkdException {
        int code = r.u8("reason");
        try {
            return Reason.fromWireCode(code);
        } catch (QkdException e) {
            throw r.fail("unknown unavailability reason code " + code);
        }
    }
}
