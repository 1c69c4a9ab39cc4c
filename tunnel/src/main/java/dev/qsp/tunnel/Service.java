package dev.qsp.tunnel;

import dev.qsp.sockets.QspContext;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * One tunnel service, as a stunnel section: a name, which side it plays, where it accepts and where it connects,
 * and the QSP context of its QSP leg.
 *
 * @param mode    {@code SERVER}: accepts QSP, connects plaintext TCP to the service; {@code CLIENT}: accepts
 *                plaintext TCP, connects with QSP to a server tunnel
 * @param peerHost the host name the QSP server must prove (client mode; the {@code --connect} host unless
 *                 {@code dev.qsp.expectedIdentity} is set), null in server mode
 */
public record Service(String name, Mode mode, InetSocketAddress accept, InetSocketAddress connect, QspContext context,
                      String peerHost) {
    /** Which side of the QSP connection a service plays. */
    public enum Mode { SERVER, CLIENT }

    public Service {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(accept, "accept");
        Objects.requireNonNull(connect, "connect");
        Objects.requireNonNull(context, "context");
    }

    /**
     * {@code HOST:PORT} (IPv6 as {@code [::1]:PORT}) as an unresolved-then-resolved address.
     *
     * @throws IllegalArgumentException saying what is wrong with {@code text}
     */
    public static InetSocketAddress address(String what, String text) {
        Objects.requireNonNull(text, what);
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException(what + " must be HOST:PORT, got '" + text + "'");
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " has a port that is not a number: '" + text + "'");
        }
        if (port < 0 || port > 65535) throw new IllegalArgumentException(what + " port out of range: " + port);
        return new InetSocketAddress(host, port);
    }

    static String show(InetSocketAddress a) {
        return (a.getAddress() != null ? a.getAddress().getHostAddress() : a.getHostString()) + ":" + a.getPort();
    }
}
