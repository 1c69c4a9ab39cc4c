package dev.qsp.sockets.engine;

import dev.qsp.keysources.KeySource;
import dev.qsp.keysources.KeySourceException;

/**
 * A real key source (it delegates to another, e.g. ML-KEM) that claims a slot of its choosing and fails one
 * chosen call: the {@code n}-th {@code initiate}, {@code respond} or {@code complete} (1-based; 0 = never). Lets
 * tests make the second of two sources fail in a handshake or fresh rekey and check what the engine erases of the
 * first (SPEC.md §4.14).
 */
final class FaultyKeySource implements KeySource {
    private final KeySource delegate;
    private final Slot slot;
    int failInitiate;
    int failRespond;
    int failComplete;
    private int initiates;
    private int responds;
    private int completes;

    FaultyKeySource(KeySource delegate, Slot slot) {
        this.delegate = delegate;
        this.slot = slot;
    }

    @Override
    public String id() { return "faulty-" + slot.name().toLowerCase(java.util.Locale.ROOT); }

    @Override
    public Slot slot() { return slot; }

    @Override
    public Initiation initiate() throws KeySourceException {
        if (++initiates == failInitiate) throw new KeySourceException("initiate " + initiates + " fails");
        Initiation i = delegate.initiate();
        return new Initiation() {
            @Override
            public byte[] offer() { return i.offer(); }

            @Override
            public byte[] complete(byte[] reply) throws KeySourceException {
                if (++completes == failComplete) throw new KeySourceException("complete " + completes + " fails");
                return i.complete(reply);
            }

            @Override
            public void destroy() { i.destroy(); }
        };
    }

    @Override
    public Response respond(byte[] offer) throws KeySourceException {
        if (++responds == failRespond) throw new KeySourceException("respond " + responds + " fails");
        return delegate.respond(offer);
    }
}
