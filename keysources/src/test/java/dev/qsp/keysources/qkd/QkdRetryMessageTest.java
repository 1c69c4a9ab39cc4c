package dev.qsp.keysources.qkd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import dev.qsp.keysources.qkd.QkdException.Reason;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A KME call's failure keeps the underlying exception's class and message (SPEC.md §5.2): the JDK's HTTP client
 * throws exceptions without a message, and a report must never end in "after 3 attempt(s): null".
 */
class QkdRetryMessageTest {
    private final KmeTransport transport = mock(KmeTransport.class);
    private final QkdClient client = new QkdClient(URI.create("https://kme.example:8443/"), "SAE_A", transport, 3,
            Duration.ZERO);

    @Test
    void aConnectExceptionWithoutMessageIsNamedWithItsCause() throws Exception {
        ConnectException bare = new ConnectException();
        bare.initCause(new ClosedChannelException());
        when(transport.exchange(any(), any(), any())).thenThrow(bare);
        QkdException e = assertThrows(QkdException.class, () -> client.encKey("SAE_B", 256));
        assertEquals(Reason.KME_UNREACHABLE, e.reason());
        assertEquals("QKD KME_UNREACHABLE: enc_keys at kme.example:8443: connection failed after 3 attempt(s):"
                + " ConnectException (ClosedChannelException)", e.getMessage());
        assertSame(bare, e.getCause());
    }

    @Test
    void aMessageIsKeptWithTheClassName() throws Exception {
        when(transport.exchange(any(), any(), any())).thenThrow(new ConnectException("Connection refused"));
        QkdException e = assertThrows(QkdException.class, () -> client.status("SAE_B"));
        assertEquals("QKD KME_UNREACHABLE: status at kme.example:8443: connection failed after 3 attempt(s):"
                + " ConnectException: Connection refused", e.getMessage());
    }

    @Test
    void anIoErrorWithoutMessageUsesItsCausesMessage() throws Exception {
        when(transport.exchange(any(), any(), any()))
                .thenThrow(new IOException(null, new IOException("Broken pipe")));
        QkdException e = assertThrows(QkdException.class,
                () -> client.decKey("SAE_B", "0b5e1b7e-3a4f-4c1d-9e2a-5d6c7b8a9f00", 256));
        assertEquals("QKD KME_UNREACHABLE: dec_keys at kme.example:8443: I/O error after 1 attempt(s):"
                + " IOException (IOException): Broken pipe", e.getMessage());
    }
}
