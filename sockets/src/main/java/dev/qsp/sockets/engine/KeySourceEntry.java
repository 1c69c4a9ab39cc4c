package dev.qsp.sockets.engine;

import dev.qsp.sockets.QspError;
import dev.qsp.sockets.QspProtocolException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One key-source contribution on the wire: {@code ascii8(source_id) ‖ lp16(data)} (SPEC.md §4.5). In a
 * ClientHello or REKEY_INIT the data is the source's offer, in a ServerHello or REKEY_ACK its reply. A list is
 * {@code u8(count) ‖ entries}, at most {@link #MAX_ENTRIES}, each id at most once.
 *
 * @param sourceId the key source's id, e.g. {@code x-wing}
 * @param data     its offer or reply (copied)
 */
public record KeySourceEntry(String sourceId, byte[] data) {
    /** Most entries in one list. */
    public static final int MAX_ENTRIES = 8;

    /** Copies the data. */
    public KeySourceEntry {
        data = data.clone();
    }

    /** {@return a copy of the data} */
    @Override
    public byte[] data() { return data.clone(); }

    byte[] dataNoCopy() { return data; }

    static void writeList(WireWriter w, List<KeySourceEntry> entries) {
        w.u8(entries.size());
        for (KeySourceEntry e : entries) w.ascii8(e.sourceId).lp16(e.data);
    }

    static List<KeySourceEntry> readList(WireReader r, String field) throws QspProtocolException {
        int n = r.u8(field + " count");
        if (n > MAX_ENTRIES) {
            throw new QspProtocolException(QspError.DECODE_ERROR, field + ": " + n + " entries, at most " + MAX_ENTRIES);
        }
        List<KeySourceEntry> out = new ArrayList<>(n);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < n; i++) {
            String id = r.ascii8(field + " source id");
            if (id.isEmpty() || !seen.add(id)) {
                throw new QspProtocolException(QspError.ILLEGAL_PARAMETER, field + ": empty or repeated source id '" + id + "'");
            }
            out.add(new KeySourceEntry(id, r.lp16(field + " data")));
        }
        return List.copyOf(out);
    }

    static KeySourceEntry find(List<KeySourceEntry> entries, String id) {
        for (KeySourceEntry e : entries) if (e.sourceId.equals(id)) return e;
        return null;
    }

    @Override
    public String toString() { return "KeySourceEntry[" + sourceId + ", " + data.length + " bytes]"; }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeySourceEntry k && k.sourceId.equals(sourceId) && java.util.Arrays.equals(k.data, data);
    }

    @Override
    public int hashCode() { return sourceId.hashCode() * 31 + java.util.Arrays.hashCode(data); }
}
