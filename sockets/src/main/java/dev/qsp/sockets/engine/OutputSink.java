package dev.qsp.sockets.engine;

import java.io.IOException;

/** Where {@link QspEngine#drainOutput(OutputSink)} writes pending frames, e.g. a socket's output stream. */
@FunctionalInterface
public interface OutputSink {
    void write(byte[] b, int off, int len) throws IOException;
}
