package dev.qsp.bench.fuzz;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The faults the state-machine fuzzer injects (an attacker on the wire): a flipped bit in a queued frame, a
 * dropped frame, a replay of an earlier authentic frame, two queued frames swapped, or a forged frame; and for
 * the handshake, a flipped bit or random bytes instead of a frame. All draws come from the case's random stream.
 */
final class Faults {
    private Faults() {
    }

    /** Applies one fault to the frames queued on {@code l} and returns what it did. */
    static String onWire(Link l, SplittableRandom rnd) {
        List<byte[]> queued = new ArrayList<>(l.wire);
        int kind = rnd.nextInt(5);
        if (queued.isEmpty() && kind != 2) {
            kind = 4;
        }
        if (queued.size() < 2 && kind == 3) {
            kind = 4;
        }
        String what;
        switch (kind) {
            case 0 -> {
                int i = rnd.nextInt(queued.size());
                byte[] f = queued.get(i).clone();
                int bit = rnd.nextInt(f.length * 8);
                f[bit / 8] ^= (byte) (1 << (bit % 8));
                queued.set(i, f);
                what = "flipped bit " + bit + " of queued frame " + i;
            }
            case 1 -> {
                int i = rnd.nextInt(queued.size());
                queued.remove(i);
                what = "dropped queued frame " + i;
            }
            case 2 -> {
                byte[] old = l.authentic.get(rnd.nextInt(l.authentic.size()));
                int at = rnd.nextInt(queued.size() + 1);
                queued.add(at, old.clone());
                what = "replayed " + Frame.describe(old) + " at queue position " + at;
            }
            case 3 -> {
                int i = rnd.nextInt(queued.size() - 1);
                byte[] a = queued.get(i);
                queued.set(i, queued.get(i + 1));
                queued.set(i + 1, a);
                what = "swapped queued frames " + i + " and " + (i + 1);
            }
            default -> {
                byte[] f = forged(l, rnd);
                int at = rnd.nextInt(queued.size() + 1);
                queued.add(at, f);
                what = "injected " + Frame.describe(f) + " at queue position " + at;
            }
        }
        l.wire.clear();
        l.wire.addAll(queued);
        l.faultDescription = what;
        return what;
    }

    /** A forged frame: random type, an epoch and sequence number near the receiver's, random payload. */
    static byte[] forged(Link l, SplittableRandom rnd) {
        int shape = rnd.nextInt(10);
        if (shape == 0) {
            // An unprotected CLOSE continuing the sender's handshake sequence (SPEC.md §4.3's exception).
            byte[] f = Arrays.copyOf(Frame.header(Frame.TYPE_CLOSE, 0, l.handshakeFrames, 2), Frame.HEADER + 2);
            int reason = rnd.nextBoolean() ? 0 : rnd.nextInt(0x20);
            f[15] = (byte) (reason >>> 8);
            f[16] = (byte) reason;
            return f;
        }
        if (shape == 1) {
            return Frame.header(1 + rnd.nextInt(4), l.receiver.receiveEpoch(), l.receiver.receiveSequence(),
                    Frame.MAX_PROTECTED_PAYLOAD + 1 + rnd.nextInt(1000));
        }
        int type = rnd.nextInt(7);
        int epoch = l.receiver.receiveEpoch() + (rnd.nextInt(4) == 0 ? rnd.nextInt(3) - 1 : 0);
        long seq = l.receiver.receiveSequence() + (rnd.nextInt(4) == 0 ? rnd.nextInt(5) - 2 : 0);
        int len = rnd.nextInt(4) == 0 ? rnd.nextInt(16) : 16 + rnd.nextInt(200);
        byte[] f = Arrays.copyOf(Frame.header(type, epoch, seq, len), Frame.HEADER + len);
        for (int i = Frame.HEADER; i < f.length; i++) {
            f[i] = (byte) rnd.nextInt(256);
        }
        return f;
    }

    /** A handshake frame with one flipped bit, or (one time in four) random bytes instead; says which in {@code what}. */
    static byte[] corrupt(byte[] frame, SplittableRandom rnd, StringBuilder what) {
        if (rnd.nextInt(4) == 0) {
            byte[] g = new byte[Frame.HEADER + rnd.nextInt(64)];
            rnd.nextBytes(g);
            what.append("replaced by ").append(g.length).append(" random bytes");
            return g;
        }
        byte[] f = frame.clone();
        int bit = rnd.nextInt(f.length * 8);
        f[bit / 8] ^= (byte) (1 << (bit % 8));
        what.append("flipped bit ").append(bit).append(" of ").append(f.length).append(" bytes");
        return f;
    }
}
