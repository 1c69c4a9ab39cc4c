package dev.qsp.bench.flood;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The attacker JVM of {@code ./qsp bench flood}: from {@code source} (e.g. 127.0.0.2) it opens connections to
 * 127.0.0.1:port that never complete a handshake. On stdin: {@code silent <n>} opens n connections that send
 * nothing; {@code partial <n> <bytes>} opens n connections that send the start of a ClientHello announcing
 * 16,000 bytes (in a HANDSHAKE frame announcing 16,384) and then {@code bytes} of it, and stall. Each command
 * answers {@code done opened=<n> failed=<n>}; connections are opened in batches of 500 (the server's accept
 * backlog is 4096). Everything stays open until stdin ends.
 */
public final class FloodAttacker {
    private FloodAttacker() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        InetAddress source = InetAddress.getByName(args[1]);
        InetSocketAddress target = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        List<Socket> held = new ArrayList<>();
        BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = commands.readLine()) != null) {
            String[] w = line.trim().split("\\s+");
            int n = Integer.parseInt(w[1]);
            byte[] payload = w[0].equals("partial") ? partialClientHello(Integer.parseInt(w[2])) : null;
            int opened = 0;
            int failed = 0;
            for (int i = 0; i < n; i++) {
                try {
                    Socket s = new Socket();
                    s.bind(new InetSocketAddress(source, 0));
                    s.connect(target, 10_000);
                    if (payload != null) {
                        s.getOutputStream().write(payload);
                    }
                    held.add(s);
                    opened++;
                } catch (Exception e) {
                    failed++;
                }
                if (i % 500 == 499) {
                    Thread.sleep(20); // a batch: lets the server's accept loop drain its backlog
                }
            }
            System.out.println("done opened=" + opened + " failed=" + failed);
        }
        for (Socket s : held) {
            s.close();
        }
    }

    /** A HANDSHAKE frame header (16,384 announced), a ClientHello header (16,000 announced) and {@code bytes} of body. */
    static byte[] partialClientHello(int bytes) {
        int header = 15;
        byte[] b = new byte[header + 4 + bytes];
        b[0] = 1; // HANDSHAKE; epoch 0, sequence 0
        b[13] = (byte) (16_384 >>> 8);
        b[14] = (byte) 16_384;
        b[header] = 1; // ClientHello
        b[header + 1] = 0;
        b[header + 2] = (byte) (16_000 >>> 8);
        b[header + 3] = (byte) 16_000;
        return b;
    }
}
