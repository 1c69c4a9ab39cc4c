package dev.qsp.sockets.engine;

import dev.qsp.sockets.QspError;
import dev.qsp.sockets.QspProtocolException;
import java.util.ArrayList;
import java.util.List;

/**
 * ClientHello (SPEC.md §4.5): {@code u16 version ‖ random[32] ‖ lp8(u16 aead ids) ‖ lp8(u16 signature ids) ‖
 * key-source offers ‖ ascii8(server_name) ‖ u8 flags}. Flag bit 0: the client has an identity and can answer a
 * certificate request.
 *
 * @param version         the protocol version ({@code 0x0001})
 * @param random          32 random bytes (copied)
 * @param aeadIds         the AEADs the client accepts, in its order
 * @param signatureIds    the signature schemes it accepts for the server's CertificateVerify
 * @param offers          one offer per initiating key source
 * @param serverName      the server identity the client expects, or empty
 * @param canAuthenticate whether the client has an identity (flag bit 0)
 */
public record ClientHello(int version, byte[] random, List<Integer> aeadIds, List<Integer> signatureIds,
                          List<KeySourceEntry> offers, String serverName, boolean canAuthenticate)
        implements HandshakeMessage {
    /** Length of the hello randoms. */
    public static final int RANDOM_LENGTH = 32;

    /** Copies the random and the lists. */
    public ClientHello {
        random = random.clone();
        aeadIds = List.copyOf(aeadIds);
        signatureIds = List.copyOf(signatureIds);
        offers = List.copyOf(offers);
    }

    /** {@return a copy of the random} */
    @Override
    public byte[] random() { return random.clone(); }

    @Override
    public int type() { return CLIENT_HELLO; }

    @Override
    public void writeBody(WireWriter w) {
        w.u16(version).bytes(random);
        writeIds(w, aeadIds);
        writeIds(w, signatureIds);
        KeySourceEntry.writeList(w, offers);
        w.ascii8(serverName).u8(canAuthenticate ? 1 : 0);
    }

    static void writeIds(WireWriter w, List<Integer> ids) {
        w.u8(ids.size() * 2);
        for (int id : ids) w.u16(id);
    }

    /**
     * {@code u8(2n) ‖ n × u16}, n ≥ 1 (SPEC.md §4.5): an empty or odd-length list is a DECODE_ERROR (it does not
     * parse as the structure); an id listed twice is an ILLEGAL_PARAMETER (the structure parses, the value is
     * outside what is allowed). Unknown ids are kept: the server ignores them, so a later version can add some.
     */
    static List<Integer> readIds(WireReader r, String field) throws QspProtocolException {
        int n = r.u8(field + " length");
        if (n == 0 || n % 2 != 0) {
            throw new QspProtocolException(QspError.DECODE_ERROR, field + ": length " + n + " is not a non-empty list of u16");
        }
        WireReader s = r.sub(n, field);
        List<Integer> out = new ArrayList<>(n / 2);
        for (int i = 0; i < n / 2; i++) {
            int id = s.u16(field);
            if (out.contains(id)) {
                throw new QspProtocolException(QspError.ILLEGAL_PARAMETER,
                        field + ": id 0x" + String.format("%04x", id) + " listed twice");
            }
            out.add(id);
        }
        return out;
    }

    static ClientHello read(WireReader r) throws QspProtocolException {
        int version = r.u16("ClientHello version");
        byte[] random = r.bytes(RANDOM_LENGTH, "ClientHello random");
        List<Integer> aeads = readIds(r, "ClientHello AEAD list");
        List<Integer> sigs = readIds(r, "ClientHello signature list");
        List<KeySourceEntry> offers = KeySourceEntry.readList(r, "ClientHello key-source offers");
        String name = r.ascii8("ClientHello server name");
        int flags = r.u8("ClientHello flags");
        if ((flags & ~1) != 0) throw new QspProtocolException(QspError.ILLEGAL_PARAMETER, "ClientHello: reserved flag bits set");
        r.expectEnd("ClientHello");
        return new ClientHello(version, random, aeads, sigs, offers, name, (flags & 1) != 0);
    }
}
