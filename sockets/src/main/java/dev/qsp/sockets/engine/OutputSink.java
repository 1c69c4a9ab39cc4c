package dev.qsp.sockets.engine;

import java.io.IOException;

/** Where {@link QspEngine#drainOutput(OutputSink)} writes pending frames, e.g. a socket's output stream. */
@FunctionalInterface
public interface OutputSink {
    /**
     * Writes {@code b[off, off + len)}.
     *
     * @param b   the frames
     * @param off where they start
     * @param len how many bytes
     * @throws IOException if they could not be written
     */
    void write(byte[] b, int off, int len) throws IOException;
}
