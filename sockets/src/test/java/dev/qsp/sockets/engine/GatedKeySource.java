package dev.qsp.sockets.engine;

import dev.qsp.keysources.KeySource;
import dev.qsp.keysources.KeySourceException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A real key source whose calls block while its gate is closed, as a QKD source blocks on a slow KME: tests
 * see each call enter ({@link #awaitEntered}) and decide when it may go on ({@link #open}).
 */
final class GatedKeySource implements KeySource {
    private final KeySource delegate;
    private final LinkedBlockingQueue<String> entered = new LinkedBlockingQueue<>();
    private volatile CountDownLatch gate = new CountDownLatch(0);

    GatedKeySource(KeySource delegate) {
        this.delegate = delegate;
    }

    /** Later calls block until {@link #open}; calls entered so far are forgotten. */
    void close() {
        entered.clear();
        gate = new CountDownLatch(1);
    }

    /** Lets blocked and later calls through. */
    void open() { gate.countDown(); }

    /** The next call that entered (initiate, respond or complete); fails the test if none comes within 30 s. */
    String awaitEntered() throws InterruptedException {
        String c = entered.poll(30, TimeUnit.SECONDS);
        if (c == null) throw new AssertionError("no key-source call entered");
        return c;
    }

    /** Calls entered and not yet collected by {@link #awaitEntered}. */
    int enteredPending() { return entered.size(); }

    private void pass(String call) throws KeySourceException {
        entered.add(call);
        try {
            gate.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KeySourceException("interrupted in " + call, e);
        }
    }

    @Override
    public String id() { return delegate.id(); }

    @Override
    public Slot slot() { return delegate.slot(); }

    @Override
    public Initiation initiate() throws KeySourceException {
        pass("initiate");
        Initiation i = delegate.initiate();
        return new Initiation() {
            @Override
            public byte[] offer() { return i.offer(); }

            @Override
            public byte[] complete(byte[] reply) throws KeySourceException {
                pass("complete");
                return i.complete(reply);
            }

            @Override
            public void destroy() { i.destroy(); }
        };
    }

    @Override
    public Response respond(byte[] offer) throws KeySourceException {
        pass("respond");
        return delegate.respond(offer);
    }
}
