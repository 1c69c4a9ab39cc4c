package dev.qsp.sockets.engine;

import dev.qsp.keysources.KeySource;
import dev.qsp.provider.kdf.Direction;
import dev.qsp.provider.kdf.QspEpochKeys;
import dev.qsp.sockets.QspError;
import dev.qsp.sockets.QspProtocolException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.SecretKey;

/**
 * Server-led rekey (SPEC.md §4.10). The server sends REKEY_INIT under epoch e; the client answers REKEY_ACK under
 * e and switches its sending key to e+1 right after; the server, after processing the ACK, switches its receiving
 * key, sends REKEY_COMMIT as its last frame of epoch e and switches its sending key; the client switches its
 * receiving key after processing the COMMIT. Every switch happens at an authenticated frame boundary, so no
 * frame can be dropped across it undetected and no frame in flight is rejected.
 */
final class RekeyDriver {
    /** How the driver sends REKEY frames through the engine. */
    interface Sender {
        boolean canSend();

        void sendRekey(byte[] plaintext) throws QspProtocolException;

        /** A rekey completed at this side (for observation, SPEC.md §6.6). */
        default void completed(RekeyKind kind, int newEpoch, long durationNanos, List<KeySourceInfo> fresh) {}
    }

    private static final int NO_EPOCH_LEFT = -1;

    private final boolean server;
    private final RecordLayer records;
    private final KeySchedule schedule;
    private final AeadSuite aead;
    private final List<KeySource> sources;
    private final RekeyPolicy policy;
    private final Sender sender;
    /** Where key-source calls go: run at once, or handed out as a task (SPEC.md §4.15). */
    private final DelegatedTasks tasks;
    /** SHA-384 for TH_rekey, reused across rekeys (a digest of public messages: nothing secret lingers in it). */
    private final MessageDigest rekeyDigest = Transcript.sha384();

    private SecretKey epochSecret;
    private int epoch;
    private long epochStartNanos;
    private long rekeyCount;
    private List<KeySourceInfo> lastFresh = List.of();
    private long lastFreshEpoch = -1;
    /** The kind of the rekey that led to {@link #epoch}, null in epoch 0. */
    private RekeyKind epochKind;
    /** When the rekey in flight began at this side (server: started; client: INIT received), for its duration. */
    private long rekeyStartNanos;

    // Server side: the rekey in flight.
    /** A fresh REKEY_INIT waits for its key-source task (initiate); data flows in epoch e meanwhile. */
    private boolean initPending;
    /** REKEY_ACK waits for its key-source task (complete): inbound frames (under e+1) wait with it. */
    private boolean commitPending;
    private RekeyMessage.Init inFlight;
    private byte[] inFlightEncoded;
    private Map<String, KeySource.Initiation> initiations = Map.of();
    private boolean requestAbsorbed;
    private boolean anyRequestHonoured;
    private long lastRequestHonouredNanos;
    private boolean anyClientFreshHonoured;
    private long lastClientFreshNanos;

    // Client side.
    private SecretKey nextRecv;
    private boolean awaitingCommit;
    private boolean requestOutstanding;
    /** A fresh REKEY_INIT's REKEY_ACK waits for its key-source task (respond); data flows in epoch e meanwhile. */
    private boolean ackPending;

    RekeyDriver(boolean server, RecordLayer records, KeySchedule schedule, AeadSuite aead,
                List<KeySource> negotiatedSources, RekeyPolicy policy, Sender sender, DelegatedTasks tasks) {
        this.server = server;
        this.records = records;
        this.schedule = schedule;
        this.aead = aead;
        List<KeySource> fresh = new ArrayList<>();
        for (KeySource s : negotiatedSources) if (s.slot() != KeySource.Slot.PSK) fresh.add(s);
        this.sources = List.copyOf(fresh);
        this.policy = policy;
        this.sender = sender;
        this.tasks = tasks;
    }

    /** Installs epoch 0 in both directions (SPEC.md §3 stage 4). */
    void establish(SecretKey epochZero, long now) throws QspProtocolException {
        epochSecret = epochZero;
        epoch = 0;
        epochStartNanos = now;
        records.installSend(aead, 0, schedule.trafficKey(aead, epochZero, 0, server ? Direction.SERVER_TO_CLIENT : Direction.CLIENT_TO_SERVER));
        records.installRecv(aead, 0, schedule.trafficKey(aead, epochZero, 0, server ? Direction.CLIENT_TO_SERVER : Direction.SERVER_TO_CLIENT));
    }

    int epoch() { return epoch; }

    /** Test hook (via {@link QspEngine#jumpEpochForTest}): the current epoch is numbered {@code e}, its keys unchanged. */
    void jumpEpochForTest(int e) { epoch = e; }

    long rekeyCount() { return rekeyCount; }

    RekeyKind epochKind() { return epochKind; }

    /** Server: INIT sent or waiting for its task; client: ACK sent or waiting for its task. */
    boolean inFlight() { return server ? inFlight != null || initPending : awaitingCommit || ackPending; }

    /** Server: no REKEY_INIT has been sealed for the next rekey yet (none in flight, or its task still runs). */
    boolean initNotSealed() { return server && inFlight == null; }

    /** Inbound frames must wait: the server is completing the key sources of a REKEY_ACK (SPEC.md §4.15). */
    boolean pausesInbound() { return commitPending; }

    long hardRecordLimit() { return policy.hardRecords(aead); }

    /**
     * Server: starts a rekey; false if one is already in flight. A fresh rekey's key sources run as a task first
     * (SPEC.md §4.15): REKEY_INIT is sealed when their offers are in, and data flows in epoch e meanwhile.
     */
    boolean start(RekeyKind kind, long now) throws QspProtocolException {
        if (inFlight != null || initPending || !sender.canSend()) return false;
        if (epoch == NO_EPOCH_LEFT) {
            throw new QspProtocolException(QspError.LIMIT_REACHED, "epoch space exhausted: no further rekey possible");
        }
        requestAbsorbed = false;
        rekeyStartNanos = now;
        if (kind != RekeyKind.FRESH) {
            sendInit(kind, new LinkedHashMap<>());
            return true;
        }
        initPending = true;
        tasks.submit(KeySourceTask.Kind.FRESH_REKEY, () -> KeySourceNegotiation.initiate(sources, KeySourceNegotiation.FRESH_REKEY),
                KeySourceNegotiation::destroyInitiations, inits -> {
            initPending = false;
            sendInit(kind, inits);
        });
        return true;
    }

    private static void destroyAll(Map<String, KeySource.Initiation> inits) {
        KeySourceNegotiation.destroyInitiations(inits);
    }

    private void sendInit(RekeyKind kind, Map<String, KeySource.Initiation> inits) throws QspProtocolException {
        if (!sender.canSend()) { // closed while the task ran: this side takes no part in rekeys any more (§4.10)
            destroyAll(inits);
            return;
        }
        List<KeySourceEntry> offers = KeySourceNegotiation.offers(inits);
        RekeyMessage.Init init = new RekeyMessage.Init(kind, epoch + 1, offers);
        byte[] enc = init.encode();
        try {
            sender.sendRekey(enc);
        } catch (QspProtocolException | RuntimeException e) {
            destroyAll(inits);
            throw e;
        }
        inFlight = init;
        inFlightEncoded = enc;
        initiations = inits;
    }

    /** Client: asks the server for a rekey; false if a request or rekey is already outstanding. */
    boolean request(RekeyKind kind) throws QspProtocolException {
        if (requestOutstanding || awaitingCommit || !sender.canSend()) return false;
        sender.sendRekey(new RekeyMessage.Request(kind).encode());
        requestOutstanding = true;
        return true;
    }

    /** Server: starts the automatic rekey when a record, byte or time trigger fires (SPEC.md §4.10). */
    void checkTriggers(long now) throws QspProtocolException {
        if (!server || inFlight != null || initPending) return;
        long soft = policy.softRecords(aead);
        long bytes = policy.byteLimit();
        boolean due = records.sendSeq() >= soft || records.recvSeq() >= soft
                || (bytes > 0 && (records.sendBytes() >= bytes || records.recvBytes() >= bytes))
                || (policy.timeLimitNanos() > 0 && now - epochStartNanos >= policy.timeLimitNanos());
        if (due) start(policy.automaticKind(), now);
    }

    void onMessage(RekeyMessage m, byte[] encoded, long now) throws QspProtocolException {
        switch (m) {
            case RekeyMessage.Request r when server -> onRequest(r, now);
            case RekeyMessage.Ack a when server -> onAck(a, encoded, now);
            case RekeyMessage.Init i when !server -> onInit(i, encoded, now);
            case RekeyMessage.Commit c when !server -> onCommit(c, now);
            default -> throw new QspProtocolException(QspError.UNEXPECTED_MESSAGE,
                    m.getClass().getSimpleName() + " sent to the " + (server ? "server" : "client"));
        }
    }

    private void onRequest(RekeyMessage.Request r, long now) throws QspProtocolException {
        if (inFlight != null || initPending) {
            if (requestAbsorbed) {
                throw new QspProtocolException(QspError.REKEY_REFUSED, "a second rekey request while a rekey is in flight");
            }
            requestAbsorbed = true; // crossed our own REKEY_INIT: that rekey answers it
            return;
        }
        long min = policy.minRequestIntervalNanos();
        if (anyRequestHonoured && min > 0 && now - lastRequestHonouredNanos < min) {
            throw new QspProtocolException(QspError.REKEY_REFUSED, "rekey requests closer together than " + min + " ns");
        }
        anyRequestHonoured = true;
        lastRequestHonouredNanos = now;
        start(grantedKind(r.kind(), now), now);
    }

    /**
     * The kind is the server's decision (SPEC.md §4.10): a client's fresh request is honoured only if the policy
     * allows client-requested fresh rekeys and none was honoured within its interval; otherwise it is answered
     * with a ratchet (still a new epoch and forward secrecy, and no key-source work the client can make us repeat).
     */
    private RekeyKind grantedKind(RekeyKind asked, long now) {
        if (asked != RekeyKind.FRESH) return asked;
        long min = policy.minClientFreshIntervalNanos();
        if (!policy.clientFreshAllowed() || (anyClientFreshHonoured && now - lastClientFreshNanos < min)) {
            return RekeyKind.RATCHET;
        }
        anyClientFreshHonoured = true;
        lastClientFreshNanos = now;
        return RekeyKind.FRESH;
    }

    private void onAck(RekeyMessage.Ack ack, byte[] encoded, long now) throws QspProtocolException {
        if (inFlight == null || commitPending) throw new QspProtocolException(QspError.UNEXPECTED_MESSAGE, "REKEY_ACK without a rekey in flight");
        List<KeySource> answered;
        try {
            if (ack.nextEpoch() != inFlight.nextEpoch()) {
                throw new QspProtocolException(QspError.ILLEGAL_PARAMETER, "REKEY_ACK for epoch " + Integer.toUnsignedString(ack.nextEpoch())
                        + ", expected " + Integer.toUnsignedString(inFlight.nextEpoch()));
            }
            answered = KeySourceNegotiation.rekeyAnswered(ack.replies(), initiations, sources);
        } catch (QspProtocolException | RuntimeException e) {
            endInFlight();
            throw e;
        }
        if (answered.isEmpty()) { // a ratchet: no key source to wait for
            commit(ack, encoded, answered, new SlotSecrets(), now);
            return;
        }
        // Initiation.complete is a task (SPEC.md §4.15): the client sends under e+1 already, so inbound frames
        // wait for it; this side goes on sending in epoch e until its COMMIT.
        commitPending = true;
        Map<String, KeySource.Initiation> inits = initiations;
        tasks.submit(KeySourceTask.Kind.FRESH_REKEY,
                () -> KeySourceNegotiation.complete(answered, ack.replies(), inits, KeySourceNegotiation.FRESH_REKEY), secrets -> {
            if (secrets != null) secrets.erase();
            destroyAll(inits);
        }, secrets -> {
            commitPending = false;
            commit(ack, encoded, answered, secrets, tasks.now());
        });
    }

    private void commit(RekeyMessage.Ack ack, byte[] encoded, List<KeySource> answered, SlotSecrets secrets, long now)
            throws QspProtocolException {
        try {
            List<KeySourceInfo> info = KeySourceNegotiation.completed(answered, inFlight.offers(), ack.replies(), secrets);
            if (inFlight.kind() == RekeyKind.FRESH) {
                lastFresh = List.copyOf(info);
                lastFreshEpoch = Integer.toUnsignedLong(inFlight.nextEpoch());
            }
            int next = inFlight.nextEpoch();
            QspEpochKeys keys = schedule.nextEpochKeys(aead, epochSecret, next, rekeyHash(rekeyDigest, inFlightEncoded, encoded),
                    secrets.kem, secrets.qkd);
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
            advance(keys.epochSecret(), next, now);
            epochKind = inFlight.kind();
            sender.completed(epochKind, next, now - rekeyStartNanos, epochKind == RekeyKind.FRESH ? lastFresh : List.of());
        } finally {
            secrets.erase();
            endInFlight();
        }
    }

    private void endInFlight() {
        destroyAll(initiations);
        initiations = Map.of();
        inFlight = null;
        inFlightEncoded = null;
    }

    private void onInit(RekeyMessage.Init init, byte[] encoded, long now) throws QspProtocolException {
        rekeyStartNanos = now;
        if (awaitingCommit || ackPending) throw new QspProtocolException(QspError.REKEY_IN_PROGRESS, "REKEY_INIT while the previous rekey is not committed");
        if (epoch == NO_EPOCH_LEFT || init.nextEpoch() != epoch + 1) {
            throw new QspProtocolException(QspError.ILLEGAL_PARAMETER, "REKEY_INIT for epoch " + Integer.toUnsignedString(init.nextEpoch())
                    + " in epoch " + Integer.toUnsignedString(epoch));
        }
        if (!sender.canSend()) return; // outbound closed: no ACK can be sent, the server keeps epoch e (SPEC.md §4.11)
        if (init.kind() != RekeyKind.FRESH) {
            sendAck(init, encoded, List.of(), List.of());
            return;
        }
        List<KeySource> offered = KeySourceNegotiation.rekeyOffered(init.offers(), sources);
        // respond() is a task (SPEC.md §4.15): REKEY_ACK follows its result; data flows in epoch e meanwhile.
        ackPending = true;
        tasks.submit(KeySourceTask.Kind.FRESH_REKEY,
                () -> KeySourceNegotiation.respond(offered, init.offers(), KeySourceNegotiation.FRESH_REKEY),
                KeySourceNegotiation::destroyResponses, responses -> {
            ackPending = false;
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
        SlotSecrets secrets = answer.secrets();
        List<KeySourceInfo> info = answer.info();
        List<KeySourceEntry> replies = answer.replies();
        try {
            int next = init.nextEpoch();
            byte[] ack = new RekeyMessage.Ack(next, replies).encode();
            sender.sendRekey(ack);
            QspEpochKeys keys = schedule.nextEpochKeys(aead, epochSecret, next, rekeyHash(rekeyDigest, encoded, ack),
                    secrets.kem, secrets.qkd);
            records.installSend(aead, next, keys.trafficKey(Direction.CLIENT_TO_SERVER));
            nextRecv = keys.trafficKey(Direction.SERVER_TO_CLIENT);
            Secrets.destroy(epochSecret);
            epochSecret = keys.epochSecret();
            epoch = next;
            epochKind = init.kind();
            awaitingCommit = true;
            requestOutstanding = false;
            if (init.kind() == RekeyKind.FRESH) {
                lastFresh = List.copyOf(info);
                lastFreshEpoch = Integer.toUnsignedLong(next);
            }
        } finally {
            secrets.erase();
        }
    }

    private void onCommit(RekeyMessage.Commit c, long now) throws QspProtocolException {
        if (!awaitingCommit) throw new QspProtocolException(QspError.UNEXPECTED_MESSAGE, "REKEY_COMMIT without a rekey in flight");
        if (c.nextEpoch() != epoch) {
            throw new QspProtocolException(QspError.ILLEGAL_PARAMETER, "REKEY_COMMIT for epoch " + Integer.toUnsignedString(c.nextEpoch()));
        }
        records.installRecv(aead, epoch, nextRecv);
        nextRecv = null;
        awaitingCommit = false;
        rekeyCount++;
        epochStartNanos = now;
        sender.completed(epochKind, epoch, now - rekeyStartNanos, epochKind == RekeyKind.FRESH ? lastFresh : List.of());
    }

    private void advance(SecretKey nextSecret, int next, long now) {
        Secrets.destroy(epochSecret);
        epochSecret = nextSecret;
        epoch = next;
        epochStartNanos = now;
        rekeyCount++;
    }

    /** The key sources of the latest fresh rekey this side took part in (empty before the first). */
    List<KeySourceInfo> lastFresh() { return lastFresh; }

    /** The epoch the latest fresh rekey led to, or -1. */
    long lastFreshEpoch() { return lastFreshEpoch; }

    /**
     * TH_rekey = SHA-384(REKEY_INIT plaintext ‖ REKEY_ACK plaintext) (SPEC.md §3 stage 5, §4.10), with a reused
     * digest ({@code digest()} leaves it reset). Pinned by {@code vectors/example-rekey.txt} (SPEC.md §4.16).
     */
    private static byte[] rekeyHash(MessageDigest d, byte[] init, byte[] ack) {
        d.update(init);
        d.update(ack);
        return d.digest();
    }

    void destroy() {
        Secrets.destroy(epochSecret);
        epochSecret = null;
        Secrets.destroy(nextRecv);
        nextRecv = null;
        // While a task completes them, the task's erase destroys them when it finishes (SPEC.md §4.15).
        if (!commitPending) destroyAll(initiations);
        initiations = Map.of();
    }
}
