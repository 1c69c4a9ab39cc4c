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
    int REQUEST = 1;
    int INIT = 2;
    int ACK = 3;
    int COMMIT = 4;

    void write(WireWriter w);

    default byte[] encode() {
        WireWriter w = new WireWriter(64);
        write(w);
        return w.toByteArray();
    }

    record Request(RekeyKind kind) implements RekeyMessage {
        @Override
        public void write(WireWriter w) { w.u8(REQUEST).u8(kind.wire()); }
    }

    record Init(RekeyKind kind, int nextEpoch, List<KeySourceEntry> offers) implements RekeyMessage {
        public Init { offers = List.copyOf(offers); }

        @Override
        public void write(WireWriter w) {
            w.u8(INIT).u8(kind.wire()).u32(nextEpoch);
            KeySourceEntry.writeList(w, offers);
        }
    }

    record Ack(int nextEpoch, List<KeySourceEntry> replies) implements RekeyMessage {
        public Ack { replies = List.copyOf(replies); }

        @Override
        public void write(WireWriter w) {
            w.u8(ACK).u32(nextEpoch);
            KeySourceEntry.writeList(w, replies);
        }
    }

    record Commit(int nextEpoch) implements RekeyMessage {
        @Override
        public void write(WireWriter w) { w.u8(COMMIT).u32(nextEpoch); }
    }

    /** Parses a REKEY frame's plaintext. */
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
