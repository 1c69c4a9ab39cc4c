package dev.qsp.sockets.engine;

import dev.qsp.sockets.QspProtocolException;
import java.util.List;

/**
 * The engine once its handshake has completed (SPEC.md §4.12, {@code Traffic}): the session, the rekey driver of
 * its role holding epoch 0 from E_0 on, and what is sealed under the current sending key — APP_DATA frames of at
 * most 16 KiB (§4.9), between which the server's rekey triggers run (§4.10), and the driver's REKEY frames.
 */
final class Traffic implements RekeyDriver.Sender {
    private final SessionInfo session;
    private final RecordLayer records;
    private final ByteQueue out;
    private final EngineEvents events;
    private final CloseState closing;
    private final RekeyDriver rekey;

    Traffic(QspEngine.Role role, HandshakeState.Complete done, RekeyPolicy policy, KeySchedule schedule, RecordLayer records,
            ByteQueue out, EngineEvents events, CloseState closing, DelegatedTasks tasks, long now) throws QspProtocolException {
        this.session = done.session();
        this.records = records;
        this.out = out;
        this.events = events;
        this.closing = closing;
        this.rekey = RekeyDriver.of(role, records, schedule, done.aead(), done.freshRekeySources(), policy, this, tasks);
        rekey.establish(done.epochZero(), now);
    }

    SessionInfo session() { return session; }

    RekeyDriver rekey() { return rekey; }

    /** Seals {@code b[off, off + len)} into APP_DATA frames under the hard record limit (SPEC.md §4.13). */
    void write(byte[] b, int off, int len, long now) throws QspProtocolException {
        long hard = rekey.hardRecordLimit();
        int end = off + len;
        for (int p = off; p < end; ) {
            int n = Math.min(Frames.MAX_PLAINTEXT, end - p);
            records.seal(FrameType.APP_DATA, b, p, n, out, hard);
            p += n;
            rekey.checkTriggers(now);
        }
        events.applicationData(true, len);
    }

    /** See {@link QspEngine#recordsBeforeHardLimit()}: a server keeps one frame back for a REKEY_INIT not yet sealed. */
    long recordsBeforeHardLimit() {
        long room = rekey.hardRecordLimit() - records.sendSeq();
        if (rekey.initNotSealed()) room--;
        return Math.max(0, room);
    }

    /** An authenticated REKEY message from the peer (SPEC.md §4.10). */
    void received(RekeyMessage msg, byte[] plain, long now) throws QspProtocolException {
        events.rekeyReceived(msg);
        rekey.onMessage(msg, plain, now);
    }

    @Override
    public boolean canSend() { return !closing.outboundClosed() && closing.failure() == null; }

    @Override
    public void sendRekey(byte[] p) throws QspProtocolException {
        events.rekeySent(p);
        records.seal(FrameType.REKEY, p, 0, p.length, out, Long.MAX_VALUE);
    }

    @Override
    public void completed(RekeyKind kind, int epoch, long nanos, List<KeySourceInfo> fresh) {
        events.rekeyComplete(kind, epoch, nanos, fresh);
    }
}
