package dev.qsp.sockets.engine;

import dev.qsp.keysources.KeySource;
import dev.qsp.keysources.KeySourceException;
import java.util.ArrayList;
import java.util.List;

/**
 * A real key source that records what the engine must erase (SPEC.md §4.14): every {@link Initiation} it hands
 * out and whether the engine destroyed it, every secret {@code complete} returned and every {@link Response}
 * secret, so a test can check that each byte of them is zero once the engine is done with it.
 */
final class SpyKeySource implements KeySource {
    private final KeySource delegate;
    final List<boolean[]> initiationsDestroyed = new ArrayList<>();
    final List<byte[]> completedSecrets = new ArrayList<>();
    final List<byte[]> responseSecrets = new ArrayList<>();

    SpyKeySource(KeySource delegate) { this.delegate = delegate; }

    @Override
    public String id() { return delegate.id(); }

    @Override
    public Slot slot() { return delegate.slot(); }

    @Override
    public Initiation initiate() throws KeySourceException {
        Initiation i = delegate.initiate();
        boolean[] destroyed = new boolean[1];
        synchronized (this) {
            initiationsDestroyed.add(destroyed);
        }
        return new Initiation() {
            @Override
            public byte[] offer() { return i.offer(); }

            @Override
            public byte[] complete(byte[] reply) throws KeySourceException {
                byte[] s = i.complete(reply);
                synchronized (SpyKeySource.this) {
                    completedSecrets.add(s);
                }
                return s;
            }

            @Override
            public void destroy() {
                destroyed[0] = true;
                i.destroy();
            }
        };
    }

    @Override
    public Response respond(byte[] offer) throws KeySourceException {
        Response r = delegate.respond(offer);
        synchronized (this) {
            responseSecrets.add(r.secret());
        }
        return r;
    }

    /** True if every initiation was destroyed and every secret handed to the engine is all zeros. */
    synchronized String undestroyed() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < initiationsDestroyed.size(); i++) if (!initiationsDestroyed.get(i)[0]) sb.append("initiation ").append(i).append("; ");
        for (int i = 0; i < completedSecrets.size(); i++) if (!zero(completedSecrets.get(i))) sb.append("completed secret ").append(i).append("; ");
        for (int i = 0; i < responseSecrets.size(); i++) if (!zero(responseSecrets.get(i))) sb.append("response secret ").append(i).append("; ");
        return sb.toString();
    }

    private static boolean zero(byte[] b) {
        for (byte x : b) if (x != 0) return false;
        return true;
    }
}
