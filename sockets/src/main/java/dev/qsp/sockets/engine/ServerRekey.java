package dev.qsp.sockets.engine;

import dev.qsp.keysources.KeySource;
import dev.qsp.provider.kdf.Direction;
import dev.qsp.provider.kdf.QspEpochKeys;
import dev.qsp.sockets.QspError;
import dev.qsp.sockets.QspProtocolException;
import java.util.List;
import java.util.Map;

/**
 * The server's side of the rekey (SPEC.md §4.10): it decides when and of which kind, sends REKEY_INIT, and on the
 * client's REKEY_ACK switches its receiving key, sends REKEY_COMMIT and switches its sending key. Its state is a
 * {@link State} (SPEC.md §4.12): {@link Idle} → ({@link Initiating} while a fresh INIT's key sources run) →
 * {@link AwaitAck} → ({@link Completing} while a fresh ACK's key sources complete) → {@link Idle}.
 */
final class ServerRekey extends RekeyDriver {
    /** Where the server's rekey stands. Each state in flight says whether a client REKEY_REQUEST was absorbed. */
    sealed interface State permits Idle, Initiating, AwaitAck, Completing {}

    /** No rekey in flight: the triggers and a REKEY_REQUEST may start one. */
    record Idle() implements State {}

    /** A fresh REKEY_INIT waits for its key-source task (initiate); data flows in epoch e meanwhile (§4.15). */
    record Initiating(RekeyKind kind, boolean requestAbsorbed) implements State {}

    /** REKEY_INIT sent ({@code encoded} as sealed, for TH_rekey); waiting for the client's REKEY_ACK. */
    record AwaitAck(RekeyMessage.Init init, byte[] encoded, Map<String, KeySource.Initiation> initiations,
                    boolean requestAbsorbed) implements State {
        AwaitAck absorbed() { return new AwaitAck(init, encoded, initiations, true); }
    }

    /**
     * REKEY_ACK received and waiting for its key-source task (complete): the client sends under e+1 already, so
     * inbound frames wait with it (§4.15); this side still sends in epoch e until its COMMIT. The task owns the
     * initiations now: it erases them if nobody consumes its result.
     */
    record Completing(AwaitAck rekey) implements State {}

    private static final State IDLE = new Idle();

    private State state = IDLE;
    /** When the last REKEY_REQUEST, and the last client-requested fresh rekey, were honoured (§4.10, §4.13). */
    private final Honoured requests = new Honoured();
    private final Honoured clientFresh = new Honoured();

    ServerRekey(RecordLayer records, KeySchedule schedule, AeadSuite aead, List<KeySource> negotiatedSources,
                RekeyPolicy policy, Sender sender, DelegatedTasks tasks) {
        super(records, schedule, aead, negotiatedSources, policy, sender, tasks);
    }

    State state() { return state; }

    @Override
    boolean inFlight() { return !(state instanceof Idle); }

    @Override
    boolean initNotSealed() { return state instanceof Idle || state instanceof Initiating; }

    @Override
    boolean pausesInbound() { return state instanceof Completing; }

    @Override
    boolean requestRekey(RekeyKind kind, long now) throws QspProtocolException { return start(kind, now); }

    /**
     * Starts a rekey; false if one is already in flight. A fresh rekey's key sources run as a task first
     * (SPEC.md §4.15): REKEY_INIT is sealed when their offers are in, and data flows in epoch e meanwhile.
     */
    private boolean start(RekeyKind kind, long now) throws QspProtocolException {
        if (!(state instanceof Idle) || !sender.canSend()) return false;
        if (epoch() == NO_EPOCH_LEFT) {
            throw new QspProtocolException(QspError.LIMIT_REACHED, "epoch space exhausted: no further rekey possible");
        }
        rekeyStarted(now);
        if (kind != RekeyKind.FRESH) {
            sendInit(kind, Map.of(), false);
            return true;
        }
        state = new Initiating(kind, false);
        tasks.submit(KeySourceTask.Kind.FRESH_REKEY, () -> KeySourceNegotiation.initiate(sources, KeySourceNegotiation.FRESH_REKEY),
                KeySourceNegotiation::destroyInitiations, inits -> {
                    boolean absorbed = state instanceof Initiating i && i.requestAbsorbed();
                    state = IDLE;
                    sendInit(kind, inits, absorbed);
                });
        return true;
    }

    private void sendInit(RekeyKind kind, Map<String, KeySource.Initiation> inits, boolean absorbed) throws QspProtocolException {
        if (!sender.canSend()) { // closed while the task ran: this side takes no part in rekeys any more (§4.10)
            KeySourceNegotiation.destroyInitiations(inits);
            return;
        }
        RekeyMessage.Init init = new RekeyMessage.Init(kind, epoch() + 1, KeySourceNegotiation.offers(inits));
        byte[] enc = init.encode();
        try {
            sender.sendRekey(enc);
        } catch (QspProtocolException | RuntimeException e) {
            KeySourceNegotiation.destroyInitiations(inits);
            throw e;
        }
        state = new AwaitAck(init, enc, inits, absorbed);
    }

    /** Starts the automatic rekey when a record, byte or time trigger fires (SPEC.md §4.10). */
    @Override
    void checkTriggers(long now) throws QspProtocolException {
        if (!(state instanceof Idle)) return;
        long soft = policy.softRecords(aead);
        long bytes = policy.byteLimit();
        boolean due = records.sendSeq() >= soft || records.recvSeq() >= soft
                || (bytes > 0 && (records.sendBytes() >= bytes || records.recvBytes() >= bytes))
                || (policy.timeLimitNanos() > 0 && now - epochStartNanos() >= policy.timeLimitNanos());
        if (due) start(policy.automaticKind(), now);
    }

    @Override
    void onMessage(RekeyMessage m, byte[] encoded, long now) throws QspProtocolException {
        switch (m) {
            case RekeyMessage.Request r -> onRequest(r, now);
            case RekeyMessage.Ack a -> onAck(a, encoded, now);
            default -> throw notForThisRole(m);
        }
    }

    private void onRequest(RekeyMessage.Request r, long now) throws QspProtocolException {
        State absorbed = switch (state) {
            case Idle _ -> null;
            case Initiating i -> i.requestAbsorbed() ? secondRequest() : new Initiating(i.kind(), true);
            case AwaitAck a -> a.requestAbsorbed() ? secondRequest() : a.absorbed();
            case Completing c -> c.rekey().requestAbsorbed() ? secondRequest() : new Completing(c.rekey().absorbed());
        };
        if (absorbed != null) { // crossed our own REKEY_INIT: that rekey answers it
            state = absorbed;
            return;
        }
        long min = policy.minRequestIntervalNanos();
        if (min > 0 && requests.within(now, min)) {
            throw new QspProtocolException(QspError.REKEY_REFUSED, "rekey requests closer together than " + min + " ns");
        }
        requests.mark(now);
        start(grantedKind(r.kind(), now), now);
    }

    private static State secondRequest() throws QspProtocolException {
        throw new QspProtocolException(QspError.REKEY_REFUSED, "a second rekey request while a rekey is in flight");
    }

    /**
     * The kind is the server's decision (SPEC.md §4.10): a client's fresh request is honoured only if the policy
     * allows client-requested fresh rekeys and none was honoured within its interval; otherwise it is answered
     * with a ratchet (still a new epoch and forward secrecy, and no key-source work the client can make us repeat).
     */
    private RekeyKind grantedKind(RekeyKind asked, long now) {
        if (asked != RekeyKind.FRESH) return asked;
        if (!policy.clientFreshAllowed() || clientFresh.within(now, policy.minClientFreshIntervalNanos())) {
            return RekeyKind.RATCHET;
        }
        clientFresh.mark(now);
        return RekeyKind.FRESH;
    }

    private void onAck(RekeyMessage.Ack ack, byte[] encoded, long now) throws QspProtocolException {
        if (!(state instanceof AwaitAck a)) {
            throw new QspProtocolException(QspError.UNEXPECTED_MESSAGE, "REKEY_ACK without a rekey in flight");
        }
        List<KeySource> answered;
        try {
            if (ack.nextEpoch() != a.init().nextEpoch()) {
                throw new QspProtocolException(QspError.ILLEGAL_PARAMETER, "REKEY_ACK for epoch " + Integer.toUnsignedString(ack.nextEpoch())
                        + ", expected " + Integer.toUnsignedString(a.init().nextEpoch()));
            }
            answered = KeySourceNegotiation.rekeyAnswered(ack.replies(), a.initiations(), sources);
        } catch (QspProtocolException | RuntimeException e) {
            endInFlight(a);
            throw e;
        }
        if (answered.isEmpty()) { // a ratchet: no key source to wait for
            commit(a, ack, encoded, answered, new SlotSecrets(), now);
            return;
        }
        // Initiation.complete is a task (SPEC.md §4.15): the client sends under e+1 already, so inbound frames
        // wait for it; this side goes on sending in epoch e until its COMMIT.
        state = new Completing(a);
        tasks.submit(KeySourceTask.Kind.FRESH_REKEY,
                () -> KeySourceNegotiation.complete(answered, ack.replies(), a.initiations(), KeySourceNegotiation.FRESH_REKEY),
                secrets -> {
                    if (secrets != null) secrets.erase();
                    KeySourceNegotiation.destroyInitiations(a.initiations());
                }, secrets -> commit(a, ack, encoded, answered, secrets, tasks.now()));
    }

    private void commit(AwaitAck a, RekeyMessage.Ack ack, byte[] encoded, List<KeySource> answered, SlotSecrets secrets, long now)
            throws QspProtocolException {
        try {
            RekeyMessage.Init init = a.init();
            List<KeySourceInfo> info = KeySourceNegotiation.completed(answered, init.offers(), ack.replies(), secrets);
            if (init.kind() == RekeyKind.FRESH) freshSources(info, init.nextEpoch());
            int next = init.nextEpoch();
            QspEpochKeys keys = nextEpochKeys(next, a.encoded(), encoded, secrets);
            boolean switched = false;
            try {
                records.installRecv(aead, next, keys.trafficKey(Direction.CLIENT_TO_SERVER));
                if (sender.canSend()) {
                    sender.sendRekey(new RekeyMessage.Commit(next).encode());
                    records.installSend(aead, next, keys.trafficKey(Direction.SERVER_TO_CLIENT));
                } else {
                    Secrets.destroy(keys.trafficKey(Direction.SERVER_TO_CLIENT)); // outbound closed: never used
                }
                switched = true;
            } finally {
                if (!switched) keys.destroy(); // failed half-way: nothing of epoch e+1 survives
            }
            switchEpoch(keys.epochSecret(), next, init.kind());
            completed(now);
        } finally {
            secrets.erase();
            endInFlight(a);
        }
    }

    private void endInFlight(AwaitAck a) {
        KeySourceNegotiation.destroyInitiations(a.initiations());
        state = IDLE;
    }

    @Override
    void destroy() {
        super.destroy();
        // While a task completes them, the task's erase destroys them when it finishes (SPEC.md §4.15).
        if (state instanceof AwaitAck a) {
            KeySourceNegotiation.destroyInitiations(a.initiations());
            state = new AwaitAck(a.init(), a.encoded(), Map.of(), a.requestAbsorbed());
        }
    }

    /** When something was last honoured, if ever (a time, not a secret). */
    private static final class Honoured {
        private boolean ever;
        private long lastNanos;

        /** Honoured before, less than {@code intervalNanos} before {@code now}. */
        boolean within(long now, long intervalNanos) { return ever && now - lastNanos < intervalNanos; }

        void mark(long now) {
            ever = true;
            lastNanos = now;
        }
    }
}
