package dev.qsp.sockets.engine;

import dev.qsp.keysources.KeySource;
import dev.qsp.provider.kdf.Direction;
import dev.qsp.provider.kdf.QspEpochKeys;
import dev.qsp.sockets.QspError;
import dev.qsp.sockets.QspProtocolException;
import java.util.List;
import javax.crypto.SecretKey;

/**
 * The client's side of the rekey (SPEC.md §4.10): it never starts one, it may ask (REKEY_REQUEST); it answers
 * REKEY_INIT with REKEY_ACK, switches its sending key right after, and its receiving key at REKEY_COMMIT. Its state
 * is a {@link State} (SPEC.md §4.12): {@link Idle} → ({@link Requested}) → ({@link Responding} while a fresh INIT's
 * key sources run) → {@link AwaitCommit} → {@link Idle}.
 */
final class ClientRekey extends RekeyDriver {
    /** Where the client's rekey stands. */
    sealed interface State permits Idle, Requested, Responding, AwaitCommit {}

    /** Nothing outstanding. */
    record Idle() implements State {}

    /** A REKEY_REQUEST was sent and no REKEY_INIT has been answered since (at most one outstanding, §4.10). */
    record Requested() implements State {}

    /**
     * A fresh REKEY_INIT's REKEY_ACK waits for its key-source task (respond); data flows in epoch e meanwhile
     * (§4.15). {@code requested}: a REKEY_REQUEST of this side is still outstanding (this rekey answers it).
     */
    record Responding(boolean requested) implements State {}

    /** REKEY_ACK sent, sending under e+1; {@code nextRecv} (s2c of e+1) is installed at REKEY_COMMIT. */
    record AwaitCommit(SecretKey nextRecv) implements State {
        @Override
        public String toString() { return "AwaitCommit"; } // never the key
    }

    private static final State IDLE = new Idle();
    private static final State REQUESTED = new Requested();

    private State state = IDLE;

    ClientRekey(RecordLayer records, KeySchedule schedule, AeadSuite aead, List<KeySource> negotiatedSources,
                RekeyPolicy policy, Sender sender, DelegatedTasks tasks) {
        super(records, schedule, aead, negotiatedSources, policy, sender, tasks);
    }

    State state() { return state; }

    @Override
    boolean inFlight() { return state instanceof Responding || state instanceof AwaitCommit; }

    /** Asks the server for a rekey; false if a request or rekey is already outstanding. */
    @Override
    boolean requestRekey(RekeyKind kind, long now) throws QspProtocolException {
        State next = switch (state) {
            case Idle _ -> REQUESTED;
            case Responding r when !r.requested() -> new Responding(true);
            default -> null;
        };
        if (next == null || !sender.canSend()) return false;
        sender.sendRekey(new RekeyMessage.Request(kind).encode());
        state = next;
        return true;
    }

    @Override
    void onMessage(RekeyMessage m, byte[] encoded, long now) throws QspProtocolException {
        switch (m) {
            case RekeyMessage.Init i -> onInit(i, encoded, now);
            case RekeyMessage.Commit c -> onCommit(c, now);
            default -> throw notForThisRole(m);
        }
    }

    private void onInit(RekeyMessage.Init init, byte[] encoded, long now) throws QspProtocolException {
        rekeyStarted(now);
        if (inFlight()) throw new QspProtocolException(QspError.REKEY_IN_PROGRESS, "REKEY_INIT while the previous rekey is not committed");
        if (epoch() == NO_EPOCH_LEFT || init.nextEpoch() != epoch() + 1) {
            throw new QspProtocolException(QspError.ILLEGAL_PARAMETER, "REKEY_INIT for epoch " + Integer.toUnsignedString(init.nextEpoch())
                    + " in epoch " + Integer.toUnsignedString(epoch()));
        }
        if (!sender.canSend()) return; // outbound closed: no ACK can be sent, the server keeps epoch e (SPEC.md §4.11)
        if (init.kind() != RekeyKind.FRESH) {
            sendAck(init, encoded, List.of(), List.of());
            return;
        }
        List<KeySource> offered = KeySourceNegotiation.rekeyOffered(init.offers(), sources);
        // respond() is a task (SPEC.md §4.15): REKEY_ACK follows its result; data flows in epoch e meanwhile.
        state = new Responding(state instanceof Requested);
        tasks.submit(KeySourceTask.Kind.FRESH_REKEY,
                () -> KeySourceNegotiation.respond(offered, init.offers(), KeySourceNegotiation.FRESH_REKEY),
                KeySourceNegotiation::destroyResponses, responses -> {
                    state = state instanceof Responding r && r.requested() ? REQUESTED : IDLE;
                    try {
                        if (sender.canSend()) sendAck(init, encoded, offered, responses);
                    } finally {
                        KeySourceNegotiation.destroyResponses(responses);
                    }
                });
    }

    private void sendAck(RekeyMessage.Init init, byte[] encoded, List<KeySource> offered, List<KeySource.Response> responses)
            throws QspProtocolException {
        KeySourceNegotiation.Answer answer = KeySourceNegotiation.answer(offered, init.offers(), responses);
        try {
            int next = init.nextEpoch();
            byte[] ack = new RekeyMessage.Ack(next, answer.replies()).encode();
            sender.sendRekey(ack);
            QspEpochKeys keys = nextEpochKeys(next, encoded, ack, answer.secrets());
            records.installSend(aead, next, keys.trafficKey(Direction.CLIENT_TO_SERVER));
            state = new AwaitCommit(keys.trafficKey(Direction.SERVER_TO_CLIENT));
            switchEpoch(keys.epochSecret(), next, init.kind());
            if (init.kind() == RekeyKind.FRESH) freshSources(answer.info(), next);
        } finally {
            answer.secrets().erase();
        }
    }

    private void onCommit(RekeyMessage.Commit c, long now) throws QspProtocolException {
        if (!(state instanceof AwaitCommit a)) {
            throw new QspProtocolException(QspError.UNEXPECTED_MESSAGE, "REKEY_COMMIT without a rekey in flight");
        }
        if (c.nextEpoch() != epoch()) {
            throw new QspProtocolException(QspError.ILLEGAL_PARAMETER, "REKEY_COMMIT for epoch " + Integer.toUnsignedString(c.nextEpoch()));
        }
        records.installRecv(aead, epoch(), a.nextRecv());
        state = IDLE;
        completed(now);
    }

    @Override
    void destroy() {
        super.destroy();
        if (state instanceof AwaitCommit a) {
            Secrets.destroy(a.nextRecv());
            state = new AwaitCommit(null);
        }
    }
}
