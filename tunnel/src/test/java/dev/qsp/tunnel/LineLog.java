package dev.qsp.tunnel;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A log a test can wait on line by line (the tunnel logs when a connection ends, on its event loop). */
final class LineLog {
    static final long TIMEOUT_SECONDS = 120; // bounds a broken test; never paces one

    private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final StringBuilder all = new StringBuilder();

    PrintStream stream() {
        return new PrintStream(new OutputStream() {
            private final ByteArrayOutputStream line = new ByteArrayOutputStream();

            @Override
            public synchronized void write(int b) {
                if (b == '\n') {
                    String s = line.toString(StandardCharsets.UTF_8);
                    line.reset();
                    synchronized (all) {
                        all.append(s).append('\n');
                    }
                    lines.add(s);
                } else {
                    line.write(b);
                }
            }
        }, true, StandardCharsets.UTF_8);
    }

    String await(String text) throws InterruptedException {
        while (true) {
            String l = lines.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (l == null) throw new AssertionError("no log line with '" + text + "'; log so far:\n" + all());
            if (l.contains(text)) return l;
        }
    }

    String all() {
        synchronized (all) {
            return all.toString();
        }
    }
}
