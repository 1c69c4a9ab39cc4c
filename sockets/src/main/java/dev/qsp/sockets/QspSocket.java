package dev.qsp.sockets;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A socket that runs QSP over a plain TCP socket (SPEC.md §6). It behaves as {@code java.net.Socket} and
 * {@code javax.net.ssl.SSLSocket} users expect: the handshake runs on the first read or write or on
 * {@link #startHandshake()}; {@code read} returns -1 only after the peer's authenticated CLOSE (an end of stream
 * without it is a truncation error); {@link #setSoTimeout} is honoured and a timeout leaves the session usable;
 * one thread may read while another writes; {@link #shutdownOutput()} is a half-close; {@link #close()} sends
 * CLOSE. Rekeys happen inside reads and writes without the application noticing, also on a side that only
 * writes. Virtual threads blocked in a QSP socket do not pin their carrier.
 *
 * <p>Get one from {@link QspSocketFactory} or {@link QspServerSocket#accept()}. The I/O loop itself, with its
 * locks, is {@link WireLoop}; this class is the {@code Socket} face of it.
 */
public class QspSocket extends DelegatingSocket {
    /** Called once when the handshake completes, on the thread that completed it. */
    @FunctionalInterface
    public interface HandshakeListener {
        /**
         * The handshake completed.
         *
         * @param socket  the socket whose handshake completed
         * @param session the negotiated session
         */
        void handshakeCompleted(QspSocket socket, QspSession session);
    }

    /**
     * Called after rekeys complete, on the thread whose read or write completed them; must not block. The session
     * says which epoch was reached and by which kind of rekey ({@link QspSession#lastRekeyKind()}).
     */
    @FunctionalInterface
    public interface RekeyListener {
        /**
         * One or more rekeys completed.
         *
         * @param socket  the socket that rekeyed
         * @param session the session as of the epoch reached
         */
        void rekeyed(QspSocket socket, QspSession session);
    }

    /** Guards only the creation of a socket's listener lists (rare: once per socket at most, per kind). */
    private static final Object LISTENERS_CREATED = new Object();

    private final QspContext context;
    private final boolean clientMode;
    private final WireLoop wire;
    private volatile String peerHost;
    /** Created by the first add: most sockets have no listeners, and two empty lists cost ~110 bytes each socket. */
    private volatile CopyOnWriteArrayList<HandshakeListener> handshakeListeners;
    private volatile CopyOnWriteArrayList<RekeyListener> rekeyListeners;
    private final InputStream in = new QspInputStream();
    private final OutputStream out = new QspOutputStream();
    /** Server: this connection's place under the admission caps (SPEC.md §6.2), released once the handshake ends. */
    private volatile AdmissionGate.Ticket admission;

    private QspSocket(QspContext context, boolean clientMode, Socket raw, boolean autoClose, String peerHost)
            throws IOException {
        super(raw);
        this.context = context;
        this.clientMode = clientMode;
        this.peerHost = peerHost;
        this.wire = new WireLoop(context, clientMode, raw, autoClose);
    }

    static QspSocket unconnectedClient(QspContext context) throws IOException {
        return new QspSocket(context, true, new Socket(), true, null);
    }

    /**
     * An unconnected client that expects the server to prove {@code peerHost} (unless the context names an
     * expected peer identity), whatever host name the address it connects to may carry.
     */
    static QspSocket unconnectedClient(QspContext context, String peerHost) throws IOException {
        return new QspSocket(context, true, new Socket(), true, peerHost);
    }

    static QspSocket layeredClient(QspContext context, Socket raw, String host, boolean autoClose)
            throws IOException {
        return new QspSocket(context, true, raw, autoClose, host);
    }

    static QspSocket accepted(QspContext context, Socket raw) throws IOException {
        return new QspSocket(context, false, raw, true, null);
    }

    /** An accepted socket holding an admission ticket, released when its handshake completes or fails or it closes. */
    static QspSocket accepted(QspContext context, Socket raw, AdmissionGate.Ticket ticket) throws IOException {
        QspSocket s = new QspSocket(context, false, raw, true, null);
        s.admission = ticket;
        return s;
    }

    private void releaseAdmission() {
        AdmissionGate.Ticket t = admission;
        if (t != null) {
            admission = null;
            t.release();
        }
    }

    /** {@return the context this socket was made from} */
    public QspContext getContext() { return context; }

    /** {@return true for the client side of the handshake} */
    public boolean getUseClientMode() { return clientMode; }

    @Override
    public void connect(SocketAddress endpoint) throws IOException {
        connect(endpoint, 0);
    }

    /**
     * Connects the TCP socket; the client then expects the server to prove the identity this endpoint names
     * (SPEC.md §6.1): for an unresolved address ({@link InetSocketAddress#createUnresolved}) its host name, which
     * this socket then resolves; for a resolved one its IP literal.
     */
    @Override
    public void connect(SocketAddress endpoint, int timeout) throws IOException {
        if (!clientMode) throw new SocketException("an accepted QSP socket is already connected");
        SocketAddress target = endpoint;
        if (endpoint instanceof InetSocketAddress isa) {
            if (peerHost == null) peerHost = connectIdentity(isa);
            if (isa.isUnresolved()) target = resolve(isa);
        }
        raw.connect(target, timeout);
        wire.attachStreams();
    }

    /**
     * The identity {@code connect(endpoint)} expects (SPEC.md §6.1). A resolved address yields its IP literal,
     * never {@code getHostString()}: that returns whatever name the {@code InetAddress} carries, which may come
     * from a reverse (PTR) lookup anything in the process made and the peer's operator controls — and the JDK
     * keeps nothing public that tells such a name from one the application gave. Only an unresolved address
     * carries the application's name as given.
     */
    static String connectIdentity(InetSocketAddress endpoint) {
        return endpoint.isUnresolved() ? endpoint.getHostString() : endpoint.getAddress().getHostAddress();
    }

    private static InetSocketAddress resolve(InetSocketAddress unresolved) throws UnknownHostException {
        InetSocketAddress r = new InetSocketAddress(unresolved.getHostString(), unresolved.getPort());
        if (r.isUnresolved()) throw new UnknownHostException(unresolved.getHostString());
        return r;
    }

    // ---------------------------------------------------------------- handshake, session, rekey

    /**
     * Runs the handshake now if it has not run yet (otherwise returns at once). Other threads that need the
     * handshake wait for it. A {@link SocketTimeoutException} (from {@link #setSoTimeout}) leaves the handshake
     * resumable; the handshake deadline of the context fails it with {@link QspHandshakeException}.
     *
     * @throws IOException if the handshake fails ({@link QspHandshakeException}) or the connection does
     */
    public void startHandshake() throws IOException {
        if (wire.isHandshakeDone()) return;
        if (!isConnected()) throw new SocketException("Socket is not connected");
        String expected = context.expectedPeerIdentity() != null ? context.expectedPeerIdentity()
                : clientMode ? peerHost : null;
        boolean completed;
        try {
            completed = wire.handshake(expected);
        } catch (SocketTimeoutException e) {
            throw e; // resumable (soTimeout): the handshake still holds its place
        } catch (IOException | RuntimeException e) {
            releaseAdmission();
            throw e;
        }
        releaseAdmission();
        List<HandshakeListener> listeners = handshakeListeners;
        if (completed && listeners != null && !listeners.isEmpty()) {
            QspSession s = wire.session();
            for (HandshakeListener l : listeners) l.handshakeCompleted(this, s);
        }
    }

    /**
     * {@return the negotiated session as of now: suite, peer identity and certificate, epoch, rekey count and key sources}
     * Runs the handshake first if needed; after the connection has ended, the last session seen.
     *
     * @throws IOException if the handshake this runs fails
     */
    public QspSession getSession() throws IOException {
        if (!isClosed()) startHandshake();
        return wire.session();
    }

    /**
     * Asks for a rekey now: a fresh one (new hybrid KEM exchange: post-compromise security) or a ratchet (HKDF
     * only: forward secrecy), SPEC.md §4.10. A server starts it; a client sends a request, which the server
     * honours at most once a second.
     *
     * @param fresh true for a fresh rekey, false for a ratchet
     * @return false if a rekey is already in flight or requested, else true
     * @throws IOException if the handshake this runs first fails, or the request cannot be sent
     */
    public boolean requestRekey(boolean fresh) throws IOException {
        startHandshake();
        return wire.requestRekey(fresh);
    }

    /**
     * Adds a listener of the handshake.
     *
     * @param l called once when the handshake completes
     */
    public void addHandshakeListener(HandshakeListener l) {
        Objects.requireNonNull(l);
        CopyOnWriteArrayList<HandshakeListener> list = handshakeListeners;
        if (list == null) {
            synchronized (LISTENERS_CREATED) {
                list = handshakeListeners;
                if (list == null) handshakeListeners = list = new CopyOnWriteArrayList<>();
            }
        }
        list.add(l);
    }

    /**
     * Removes a listener of the handshake.
     *
     * @param l a listener added before; no longer called
     */
    public void removeHandshakeListener(HandshakeListener l) {
        List<HandshakeListener> list = handshakeListeners;
        if (list != null) list.remove(l);
    }

    /**
     * Adds a listener of rekeys.
     *
     * @param l called after rekeys complete
     */
    public void addRekeyListener(RekeyListener l) {
        Objects.requireNonNull(l);
        CopyOnWriteArrayList<RekeyListener> list = rekeyListeners;
        if (list == null) {
            synchronized (LISTENERS_CREATED) {
                list = rekeyListeners;
                if (list == null) rekeyListeners = list = new CopyOnWriteArrayList<>();
            }
        }
        list.add(l);
    }

    /**
     * Removes a listener of rekeys.
     *
     * @param l a listener added before; no longer called
     */
    public void removeRekeyListener(RekeyListener l) {
        List<RekeyListener> list = rekeyListeners;
        if (list != null) list.remove(l);
    }

    private void reportRekeys() {
        List<RekeyListener> listeners = rekeyListeners;
        if (listeners == null || listeners.isEmpty()) return;
        QspSession s = wire.newRekeys();
        if (s == null) return;
        for (RekeyListener l : listeners) l.rekeyed(this, s);
    }

    // ---------------------------------------------------------------- close

    /**
     * A socket closed because its connection failed reports that failure (a new exception whose cause is the
     * original, SPEC.md §6.3), never a bare {@code Socket is closed}; one the application closed says so.
     */
    private void checkNotClosed() throws IOException {
        IOException f = wire.failure();
        if (f != null && !wire.closedLocally()) throw EngineGate.rethrown(f);
        if (isClosed()) throw new SocketException("Socket is closed");
    }

    /** Test hook (package-private): the wire's write lock (SPEC.md §6.1). */
    java.util.concurrent.locks.ReentrantLock writeLockForTest() { return wire.writeLockForTest(); }

    /**
     * Sends the authenticated CLOSE (if the handshake completed and output is still open), erases the keys and
     * closes the TCP connection (for a layered socket, only if it was created with {@code autoClose}), after a
     * short lingering read so that the peer gets everything (SPEC.md §6.3). A reader blocked on this socket gets
     * a {@link SocketException}.
     */
    @Override
    public void close() throws IOException {
        try {
            wire.close();
        } finally {
            releaseAdmission();
        }
    }

    /** Half-close: sends the authenticated CLOSE and a TCP FIN; reading goes on until the peer's CLOSE. */
    @Override
    public void shutdownOutput() throws IOException {
        if (wire.isOutputShutdown()) return;
        startHandshake();
        wire.shutdownOutput();
    }

    /** Stops reading locally: later reads return -1 and unread data is discarded (as for a plain socket). */
    @Override
    public void shutdownInput() throws IOException { wire.shutdownInput(); }

    @Override
    public boolean isInputShutdown() { return wire.isInputShutdown(); }

    @Override
    public boolean isOutputShutdown() { return wire.isOutputShutdown(); }

    @Override
    public boolean isClosed() { return wire.isClosed(); }

    // ---------------------------------------------------------------- streams

    @Override
    public InputStream getInputStream() throws IOException {
        checkNotClosed();
        if (!isConnected()) throw new SocketException("Socket is not connected");
        if (isInputShutdown()) throw new SocketException("Socket input is shutdown");
        return in;
    }

    @Override
    public OutputStream getOutputStream() throws IOException {
        checkNotClosed();
        if (!isConnected()) throw new SocketException("Socket is not connected");
        if (isOutputShutdown()) throw new SocketException("Socket output is shutdown");
        return out;
    }

    private final class QspInputStream extends InputStream {
        /** For {@code read()}, created by its first call (a connection waiting in {@code read(byte[])} needs none). */
        private byte[] one;

        @Override
        public int read() throws IOException {
            byte[] o = one;
            if (o == null) one = o = new byte[1];
            int n = read(o, 0, 1);
            return n < 0 ? -1 : o[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) return 0;
            startHandshake();
            try {
                return wire.read(b, off, len);
            } finally {
                reportRekeys();
            }
        }

        /** Authenticated application bytes that a read returns without blocking. */
        @Override
        public int available() throws IOException { return wire.available(); }

        @Override
        public void close() throws IOException { QspSocket.this.close(); }
    }

    private final class QspOutputStream extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) return;
            startHandshake();
            try {
                wire.write(b, off, len);
            } finally {
                reportRekeys();
            }
        }

        /** Every write is on the wire when it returns: nothing to flush. */
        @Override
        public void flush() throws IOException {
            checkNotClosed();
        }

        @Override
        public void close() throws IOException { QspSocket.this.close(); }
    }

    // ---------------------------------------------------------------- timeouts

    @Override
    public void setSoTimeout(int timeout) throws SocketException {
        if (timeout < 0) throw new IllegalArgumentException("timeout < 0");
        wire.setSoTimeout(timeout);
    }

    @Override
    public int getSoTimeout() throws SocketException {
        if (isClosed()) throw new SocketException("Socket is closed");
        return wire.getSoTimeout();
    }

    @Override
    public String toString() {
        return "QspSocket[" + (clientMode ? "client" : "server") + ", " + raw + ", " + wire.state() + "]";
    }
}
