package dev.qsp.sockets;

import java.io.IOException;
import java.io.Serial;

/**
 * A {@code dev.qsp.*} system property is missing or wrong (SPEC.md §6.5). {@link #property()} names it, and so
 * does the message, which never contains a password or key bytes.
 *
 * <p>An {@link IOException} because {@link QspSocketFactory#getDefault()} reports it from {@code createSocket},
 * as {@code javax.net.ssl.SSLSocketFactory.getDefault()} does when the default SSL context cannot be built.
 */
public class QspConfigurationException extends IOException {
    @Serial
    private static final long serialVersionUID = 1L;

    /** The system property at fault. */
    private final String property;
    /** What is wrong with it, without the property-name prefix (never a password or key bytes). */
    private final String detail;

    /**
     * A configuration error without an underlying exception.
     *
     * @param property the system property at fault
     * @param message  what is wrong with it (never a password or key bytes)
     */
    public QspConfigurationException(String property, String message) {
        this(property, message, null);
    }

    /**
     * A configuration error caused by another.
     *
     * @param property the system property at fault
     * @param message  what is wrong with it (never a password or key bytes)
     * @param cause    the underlying failure, or {@code null}
     */
    public QspConfigurationException(String property, String message, Throwable cause) {
        super(property + ": " + message, cause);
        this.property = property;
        this.detail = message;
    }

    /** A new exception with the same property and message, thrown where the stored failure is reported again. */
    QspConfigurationException reported() {
        return new QspConfigurationException(property, detail, this);
    }

    /** {@return the name of the system property at fault, e.g. {@code dev.qsp.keyStore}} */
    public String property() { return property; }
}
