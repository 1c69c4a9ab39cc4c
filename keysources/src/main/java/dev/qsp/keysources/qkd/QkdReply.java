package dev.qsp.keysources.qkd;

import dev.qsp.keysources.qkd.QkdException.Reason;
import dev.qsp.keysources.qkd.QkdOffer.Kind;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The QKD source's reply, responder to initiator (SPEC.md §5.3):
 * <pre>
 * reply = u8(1) ‖ u8(kind) ‖ lp8(slave_SAE_ID) ‖ body
 *   kind 1 KEY (ack):    key_ID                (36 ASCII bytes: the offered key ID, retrieved with dec_keys)
 *   kind 2 UNAVAILABLE:  u8(reason)
 * </pre>
 *
 * @param kind       KEY (acknowledgement) or UNAVAILABLE
 * @param slaveSaeId the responder's SAE ID
 * @param keyId      the acknowledged key ID (KEY), else null
 * @param reason     why the responder has no key (UNAVAILABLE), else null
 */
public record QkdReply(Kind kind, String slaveSaeId, String keyId, Reason reason) {

    /**
     * {@return a KEY reply: the responder got the key and acknowledges its ID}
     *
     * @param slaveSaeId the responder's SAE ID
     * @param keyId      the acknowledged key ID
     */
    public static QkdReply ack(String slaveSaeId, String keyId) {
        if (!SaeIds.isKeyId(keyId)) {
            throw new IllegalArgumentException("not a key ID: " + keyId);
        }
        return new QkdReply(Kind.KEY, SaeIds.requireSaeId(slaveSaeId, "slave SAE ID"), keyId, null);
    }

    /**
     * {@return an UNAVAILABLE reply: the responder has no key, and says why}
     *
     * @param slaveSaeId the responder's SAE ID
     * @param reason     why, a reason with a wire code
     */
    public static QkdReply unavailable(String slaveSaeId, Reason reason) {
        if (reason.wireCode() == 0) {
            throw new IllegalArgumentException("reason " + reason + " has no wire code");
        }
        return new QkdReply(Kind.UNAVAILABLE, SaeIds.requireSaeId(slaveSaeId, "slave SAE ID"), null, reason);
    }

    /** {@return the reply's wire form (SPEC.md §5.3)} */
    public byte[] encode() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64);
        out.write(QkdOffer.VERSION);
        out.write(kind.code);
        byte[] sae = slaveSaeId.getBytes(StandardCharsets.US_ASCII);
        out.write(sae.length);
        out.writeBytes(sae);
        if (kind == Kind.KEY) {
            out.writeBytes(keyId.getBytes(StandardCharsets.US_ASCII));
        } else {
            out.write(reason.wireCode());
        }
        return out.toByteArray();
    }

    /**
     * Parses a reply.
     *
     * @param reply the wire form
     * @return the reply
     * @throws QkdException (MALFORMED_REPLY) on any deviation from the layout
     */
    public static QkdReply parse(byte[] reply) throws QkdException {
        WireReader r = new WireReader(reply, Reason.MALFORMED_REPLY, "QKD reply");
        int version = r.u8("version");
        if (version != QkdOffer.VERSION) {
            throw r.fail("unsupported version " + version + " (expected " + QkdOffer.VERSION + ")");
        }
        Kind kind = Kind.of(r.u8("kind"), r);
        String sae = r.saeId("slave_SAE_ID");
        QkdReply out;
        if (kind == Kind.KEY) {
            String id = r.ascii(SaeIds.KEY_ID_LENGTH, "key_ID");
            if (!SaeIds.isKeyId(id)) {
                throw r.fail("key_ID \"" + id + "\" is not a UUID");
            }
            out = new QkdReply(kind, sae, id, null);
        } else {
            out = new QkdReply(kind, sae, null, QkdOffer.reasonFrom(r));
        }
        r.end();
        return out;
    }
}
