package dev.qsp.sockets.engine;

import dev.qsp.sockets.QspError;
import dev.qsp.sockets.QspProtocolException;
import java.util.List;

/**
 * The plaintext of a REKEY frame (SPEC.md §4.10): {@code u8(rekey_type) ‖ body}.
 * <ul>
 *   <li>REKEY_REQUEST (1): {@code u8 kind} — client asks the server to start a rekey.</li>
 *   <li>REKEY_INIT (2): {@code u8 kind ‖ u32 next_epoch ‖ key-source offers} (empty list for ratchet).</li>
 *   <li>REKEY_ACK (3): {@code u32 next_epoch ‖ key-source replies}.</li>
 *   <li>REKEY_COMMIT (4): {@code u32 next_epoch} — the server's last frame of the old epoch.</li>
 * </ul>
 */
public sealed interface RekeyMessage {
    /** {@code rekey_type} of {@link Request}. */
    int REQUEST = 1;
    /** {@code rekey_type} of {@link Init}. */
    int INIT = 2;
    /** {@code rekey_type} of {@link Ack}. */
    int ACK = 3;
    /** {@code rekey_type} of {@link Commit}. */
    int COMMIT = 4;

    /**
     * Appends the encoding, type byte included.
     *
     * @param w where it goes
     */
    void write(WireWriter w);

    /** {@return the plaintext of the REKEY frame} */
    default byte[] encode() {
        WireWriter w = new WireWriter(64);
        write(w);
        return w.toByteArray();
    }

    /**
     * REKEY_REQUEST: the client asks for a rekey; the server decides its kind.
     *
     * @param kind the kind asked for
     */
    record Request(RekeyKind kind) implements RekeyMessage {
        @Override
        public void write(WireWriter w) { w.u8(REQUEST).u8(kind.wire()); }
    }

    /**
     * REKEY_INIT: the server starts a rekey.
     *
     * @param kind      ratchet or fresh
     * @param nextEpoch the epoch it leads to
     * @param offers    a fresh rekey's key-source offers (none for a ratchet)
     */
    record Init(RekeyKind kind, int nextEpoch, List<KeySourceEntry> offers) implements RekeyMessage {
        /** Copies the offers. */
        public Init { offers = List.copyOf(offers); }

        @Override
        public void write(WireWriter w) {
            w.u8(INIT).u8(kind.wire()).u32(nextEpoch);
            KeySourceEntry.writeList(w, offers);
        }
    }

    /**
     * REKEY_ACK: the client's answer, its last frame of the old epoch.
     *
     * @param nextEpoch the epoch of the INIT it answers
     * @param replies   one reply per offer (none for a ratchet)
     */
    record Ack(int nextEpoch, List<KeySourceEntry> replies) implements RekeyMessage {
        /** Copies the replies. */
        public Ack { replies = List.copyOf(replies); }

        @Override
        public void write(WireWriter w) {
            w.u8(ACK).u32(nextEpoch);
            KeySourceEntry.writeList(w, replies);
        }
    }

    /**
     * REKEY_COMMIT: the server's last frame of the old epoch.
     *
     * @param nextEpoch the epoch that begins after it
     */
    record Commit(int nextEpoch) implements RekeyMessage {
        @Override
        public void write(WireWriter w) { w.u8(COMMIT).u32(nextEpoch); }
    }

    /**
     * Parses a REKEY frame's plaintext, exactly (SPEC.md §4.10 "Decoding").
     *
     * @param b   the plaintext
     * @param off where it starts
     * @param len its length
     * @return the message
     * @throws QspProtocolException DECODE_ERROR, UNEXPECTED_MESSAGE or ILLEGAL_PARAMETER for malformed input
     */
    static RekeyMessage decode(byte[] b, int off, int len) throws QspProtocolException {
        WireReader r = new WireReader(b, off, len);
        int t = r.u8("rekey message type");
        RekeyMessage m = switch (t) {
            case REQUEST -> new Request(kind(r));
            case INIT -> {
                RekeyKind k = kind(r);
                int e = r.u32("REKEY_INIT next_epoch");
                List<KeySourceEntry> offers = KeySourceEntry.readList(r, "REKEY_INIT offers");
                if (k == RekeyKind.RATCHET && !offers.isEmpty()) {
                    throw new QspProtocolException(QspError.ILLEGAL_PARAMETER, "REKEY_INIT: a ratchet rekey carries no offers");
                }
                yield new Init(k, e, offers);
            }
            case ACK -> new Ack(r.u32("REKEY_ACK next_epoch"), KeySourceEntry.readList(r, "REKEY_ACK replies"));
            case COMMIT -> new Commit(r.u32("REKEY_COMMIT next_epoch"));
            default -> throw new QspProtocolException(QspError.UNEXPECTED_MESSAGE, "unknown rekey message type " + t);
        };
        r.expectEnd("rekey message");
        return m;
    }

    private static RekeyKind kind(WireReader r) throws QspProtocolException {
        int v = r.u8("rekey kind");
        RekeyKind k = RekeyKind.fromWire(v);
        if (k == null) throw new QspProtocolException(QspError.ILLEGAL_PARAMETER, "unknown rekey kind " + v);
        return k;
    }
}
