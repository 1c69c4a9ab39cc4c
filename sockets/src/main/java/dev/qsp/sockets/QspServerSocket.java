package dev.qsp.sockets;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;

/**
 * A server socket whose {@link #accept()} returns {@link QspSocket}s (SPEC.md §6). Accepting does not run the
 * handshake, so a slow or hostile client cannot hold up the accept loop: the server side of the handshake runs
 * on the accepted socket's first read or write, or on {@link QspSocket#startHandshake()}, usually in the thread
 * that serves that client.
 */
public class QspServerSocket extends ServerSocket {
    private final QspContext context;

    QspServerSocket(QspContext context) throws IOException {
        super();
        this.context = context;
    }

    QspServerSocket(QspContext context, int port, int backlog, InetAddress bindAddress) throws IOException {
        super(port, backlog, bindAddress);
        this.context = context;
    }

    /** The context the accepted sockets use. */
    public QspContext getContext() { return context; }

    /** Waits for a TCP connection and returns it as a server-mode {@link QspSocket}, not yet handshaken. */
    @Override
    public Socket accept() throws IOException {
        if (isClosed()) throw new SocketException("Socket is closed");
        if (!isBound()) throw new SocketException("Socket is not bound yet");
        Socket raw = super.accept();
        try {
            return QspSocket.accepted(context, raw);
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw e;
        }
    }

    @Override
    public String toString() {
        return "QspServerSocket[" + super.toString() + "]";
    }
}
