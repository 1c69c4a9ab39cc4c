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

    /** {@return the context the accepted sockets use} */
    public QspContext getContext() { return context; }

    /**
     * Waits for a TCP connection and returns it as a server-mode {@link QspSocket}, not yet handshaken. A
     * connection over the context's admission caps ({@link QspContext#admissionGate()}: concurrent unauthenticated
     * handshakes in total and per source address, SPEC.md §4.13, §6.2) is closed at once, before any cryptography,
     * and counted; accept then waits for the next one, so a flood never reaches the caller's accept loop.
     */
    @Override
    public Socket accept() throws IOException {
        if (isClosed()) throw new SocketException("Socket is closed");
        if (!isBound()) throw new SocketException("Socket is not bound yet");
        AdmissionGate gate = context.admissionGate();
        while (true) {
            Socket raw = super.accept();
            AdmissionGate.Ticket ticket;
            try {
                ticket = gate.tryAdmit(raw.getInetAddress());
            } catch (RuntimeException e) {
                raw.close();
                throw e;
            }
            if (ticket == null) {
                refuse(raw);
                continue;
            }
            try {
                return QspSocket.accepted(context, raw, ticket);
            } catch (IOException | RuntimeException e) {
                ticket.release();
                raw.close();
                throw e;
            }
        }
    }

    /** Closes a refused connection with a reset: no FIN handshake or TIME_WAIT to keep for a flood. */
    private static void refuse(Socket raw) {
        try {
            raw.setSoLinger(true, 0);
        } catch (SocketException ignored) {
            // closed normally then
        }
        try {
            raw.close();
        } catch (IOException ignored) {
            // nothing more to do for a refused connection
        }
    }

    @Override
    public String toString() {
        return "QspServerSocket[" + super.toString() + "]";
    }
}
