package dev.qsp.bench.fuzz;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import dev.qsp.sockets.QspError;
import dev.qsp.sockets.engine.QspEngine;

/**
 * One direction of an in-memory connection: the frames the sender emitted (the authentic stream), the frames
 * on the wire (which the fuzzer may drop, duplicate, reorder, modify or add to), what the receiver has
 * accepted, and the application bytes written and delivered, so that every delivered byte can be compared with
 * what the sender wrote.
 */
final class Link {
    final String name;
    final QspEngine sender;
    final QspEngine receiver;
    final Deque<byte[]> wire = new ArrayDeque<>();
    final List<byte[]> authentic = new ArrayList<>();
    /** Authentic frames the receiver has consumed in order. */
    int accepted;
    /** Unprotected (handshake-phase) frames of this direction: the sender's handshake sequence numbers. */
    int handshakeFrames;
    boolean protectedPhase;
    boolean closeNotifyAccepted;

    private byte[] written = new byte[1024];
    long writtenLength;
    long delivered;

    /** The errors the receiver may end with, once a frame that is not the next authentic one reached it. */
    Set<QspError> expected;
    /** True if the only acceptable outcome of the fault is a remote (peer-reported) failure (SPEC.md §4.3). */
    boolean expectRemote;
    String faultDescription;
    boolean receiverOutboundOpenAtFault;

    Link(String name, QspEngine sender, QspEngine receiver) {
        this.name = name;
        this.sender = sender;
        this.receiver = receiver;
    }

    /** Splits newly emitted sender bytes (always whole frames) into frames, queues and records them. */
    void emitted(byte[] b, int len) {
        int p = 0;
        while (p < len) {
            int n = Frame.HEADER + Frame.length(b, p);
            byte[] f = Arrays.copyOfRange(b, p, p + n);
            if (!protectedPhase && Frame.epoch(f) == 0 && Frame.type(f) == Frame.TYPE_HANDSHAKE) {
                handshakeFrames++;
            } else {
                protectedPhase = true;
            }
            authentic.add(f);
            wire.add(f);
            p += n;
        }
        if (p != len) {
            throw new IllegalStateException(name + ": the engine emitted a partial frame");
        }
    }

    void recordWritten(byte[] b, int off, int len) {
        long need = writtenLength + len;
        if (need > written.length) {
            written = Arrays.copyOf(written, (int) Math.max(need, 2L * written.length));
        }
        System.arraycopy(b, off, written, (int) writtenLength, len);
        writtenLength = need;
    }

    /** Compares bytes the receiver delivered with what the sender wrote at that offset; null if they match. */
    String checkDelivered(byte[] b, int off, int len) {
        if (delivered + len > writtenLength) {
            return name + ": the receiver delivered " + (delivered + len) + " bytes, the sender wrote only "
                    + writtenLength;
        }
        for (int i = 0; i < len; i++) {
            if (b[off + i] != written[(int) delivered + i]) {
                return name + ": delivered byte " + (delivered + i) + " differs from what the sender wrote";
            }
        }
        delivered += len;
        return null;
    }

    boolean isNextAuthentic(byte[] f) {
        return expected == null && accepted < authentic.size() && Arrays.equals(f, authentic.get(accepted));
    }

    /**
     * The errors an engine must report for a frame that is not the next authentic one, from the order of its
     * checks (SPEC.md §4.3, §4.9): data after CLOSE, type, length bound, epoch, sequence, then authentication.
     * A frame claiming more payload than it carries makes the receiver wait: it either fails on the bytes that
     * complete it or, if none come, the stream is truncated.
     */
    void predict(byte[] f) {
        int type = Frame.type(f);
        int len = Frame.length(f, 0);
        if (closeNotifyAccepted) {
            expected = EnumSet.of(QspError.UNEXPECTED_MESSAGE);
            return;
        }
        if (type < Frame.TYPE_HANDSHAKE || type > Frame.TYPE_CLOSE) {
            expected = EnumSet.of(QspError.UNKNOWN_FRAME_TYPE);
            return;
        }
        if (len > Frame.MAX_PROTECTED_PAYLOAD) {
            expected = EnumSet.of(QspError.RECORD_OVERFLOW);
            return;
        }
        if (accepted == handshakeFrames && type == Frame.TYPE_CLOSE
                && Frame.epoch(f) == 0 && len == 2 && Frame.seq(f) == handshakeFrames && f.length == Frame.HEADER + 2) {
            // An unprotected CLOSE continuing the handshake sequence before any protected frame arrived, after this
            // side's handshake completed (SPEC.md §4.3, §4.11): nothing authenticates its reason, so the receiver
            // fails with its own UNAUTHENTICATED_CLOSE, never the claimed code, never a clean end.
            expected = EnumSet.of(QspError.UNAUTHENTICATED_CLOSE);
            expectRemote = false;
            return;
        }
        QspError base = Frame.epoch(f) != receiver.receiveEpoch() ? QspError.UNEXPECTED_EPOCH
                : Frame.seq(f) != receiver.receiveSequence() ? QspError.UNEXPECTED_SEQUENCE
                : QspError.BAD_RECORD_MAC;
        expected = len > f.length - Frame.HEADER ? EnumSet.of(base, QspError.TRUNCATED) : EnumSet.of(base);
    }
}
