package dev.qsp.sockets.engine;

import dev.qsp.sockets.QspProtocolException;

/**
 * Finished (SPEC.md §4.6): {@code verify_data[48] = HMAC-SHA384(finished_key, transcript_hash)}.
 *
 * @param verifyData the 48-byte MAC (copied)
 */
public record Finished(byte[] verifyData) implements HandshakeMessage {
    /** Copies the MAC. */
    public Finished {
        verifyData = verifyData.clone();
    }

    /** {@return a copy of the MAC} */
    @Override
    public byte[] verifyData() { return verifyData.clone(); }

    @Override
    public int type() { return FINISHED; }

    @Override
    public void writeBody(WireWriter w) { w.bytes(verifyData); }

    static Finished read(WireReader r) throws QspProtocolException {
        byte[] v = r.bytes(Transcript.HASH_LENGTH, "Finished verify_data");
        r.expectEnd("Finished");
        return new Finished(v);
    }
}
