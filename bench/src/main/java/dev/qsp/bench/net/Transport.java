package dev.qsp.bench.net;

import java.io.Closeable;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * One transport stack under test (plain TCP, a TLS 1.3 implementation, QSP), reduced to what the loopback
 * benchmarks need: a listening socket on 127.0.0.1, a connected client socket, and an explicit handshake on
 * either end. Every stack is configured once, in its constructor, the way an application would configure it.
 */
public interface Transport extends Closeable {
    /**
     * Binds a server socket on 127.0.0.1 with an ephemeral port.
     *
     * @return the listening socket, of this stack (its accepted sockets still need {@link #handshake})
     * @throws IOException if the socket cannot be bound
     */
    ServerSocket listen() throws IOException;

    /**
     * Connects to 127.0.0.1:{@code port}. {@code peerName} names the server for the stack's session cache:
     * the benchmarks pass a fresh name for each connection so that no TLS session is ever resumed (a full
     * handshake each time, as QSP always does).
     *
     * @param port     the server's port on 127.0.0.1
     * @param peerName the name the stack's session cache keys the connection by (fresh per connection)
     * @return the connected client socket, before its handshake
     * @throws IOException if the connection cannot be made
     */
    Socket connect(int port, String peerName) throws IOException;

    /**
     * Runs the handshake on one end (client or server) and returns when that end has completed it.
     *
     * @param socket a socket from {@link #connect} or accepted from {@link #listen}'s socket
     * @throws IOException if the handshake fails (or, for a stack that checks it, did not do the row's work)
     */
    void handshake(Socket socket) throws IOException;

    /** Releases what the stack holds (temporary key stores). */
    @Override
    default void close() throws IOException {
    }

    /**
     * Sets the socket options every stack gets: no Nagle delay, so the echo measures the stack, not TCP.
     *
     * @param socket a connected socket
     * @return {@code socket}, tuned
     * @throws IOException if the option cannot be set
     */
    static Socket tune(Socket socket) throws IOException {
        socket.setTcpNoDelay(true);
        return socket;
    }
}
