package dev.qsp.sockets.engine;

import dev.qsp.keysources.KeySource;
import dev.qsp.provider.kdf.Direction;
import dev.qsp.provider.kdf.QspEpochKeys;
import dev.qsp.sockets.QspError;
import dev.qsp.sockets.QspProtocolException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import javax.crypto.SecretKey;

/**
 * Server-led rekey (SPEC.md §4.10). The server sends REKEY_INIT under epoch e; the client answers REKEY_ACK under
 * e and switches its sending key to e+1 right after; the server, after processing the ACK, switches its receiving
 * key, sends REKEY_COMMIT as its last frame of epoch e and switches its sending key; the client switches its
 * receiving key after processing the COMMIT. Every switch happens at an authenticated frame boundary, so no
 * frame can be dropped across it undetected and no frame in flight is rejected.
 *
 * <p>One driver per role, each holding its rekey state as a type (SPEC.md §4.12): {@link ServerRekey}
 * ({@code Idle}, {@code Initiating}, {@code AwaitAck}, {@code Completing}) and {@link ClientRekey} ({@code Idle},
 * {@code Requested}, {@code Responding}, {@code AwaitCommit}). This class keeps what both share: the current epoch,
 * its secret and age, the counters, and the derivation of the next epoch's keys.
 */
abstract sealed class RekeyDriver permits ServerRekey, ClientRekey {
    /** How the driver sends REKEY frames through the engine. */
    interface Sender {
        boolean canSend();

        void sendRekey(byte[] plaintext) throws QspProtocolException;

        /** A rekey completed at this side (for observation, SPEC.md §6.6). */
        default void completed(RekeyKind kind, int newEpoch, long durationNanos, List<KeySourceInfo> fresh) {}
    }

    /** The epoch number 0xFFFFFFFF: the last one, after which no rekey is possible (SPEC.md §4.13). */
    static final int NO_EPOCH_LEFT = -1;

    final RecordLayer records;
    final AeadSuite aead;
    /** The sources a fresh rekey offers again (SPEC.md §4.10 {@code kind}): no PSK, no QKD that gave nothing. */
    final List<KeySource> sources;
    final RekeyPolicy policy;
    final Sender sender;
    /** Where key-source calls go: run at once, or handed out as a task (SPEC.md §4.15). */
    final DelegatedTasks tasks;
    private final KeySchedule schedule;

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

    RekeyDriver(RecordLayer records, KeySchedule schedule, AeadSuite aead, List<KeySource> negotiatedSources,
                RekeyPolicy policy, Sender sender, DelegatedTasks tasks) {
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

    /** The driver for {@code role}, once the handshake has completed. */
    static RekeyDriver of(QspEngine.Role role, RecordLayer records, KeySchedule schedule, AeadSuite aead,
                          List<KeySource> negotiatedSources, RekeyPolicy policy, Sender sender, DelegatedTasks tasks) {
        return role == QspEngine.Role.SERVER
                ? new ServerRekey(records, schedule, aead, negotiatedSources, policy, sender, tasks)
                : new ClientRekey(records, schedule, aead, negotiatedSources, policy, sender, tasks);
    }

    /** Installs epoch 0 in both directions (SPEC.md §3 stage 4). */
    final void establish(SecretKey epochZero, long now) throws QspProtocolException {
        epochSecret = epochZero;
        epoch = 0;
        epochStartNanos = now;
        boolean server = this instanceof ServerRekey;
        records.installSend(aead, 0, schedule.trafficKey(aead, epochZero, 0, server ? Direction.SERVER_TO_CLIENT : Direction.CLIENT_TO_SERVER));
        records.installRecv(aead, 0, schedule.trafficKey(aead, epochZero, 0, server ? Direction.CLIENT_TO_SERVER : Direction.SERVER_TO_CLIENT));
    }

    // ---- what the engine asks of either role --------------------------------------------------------------

    /** The application asks for a rekey (server: starts one; client: sends REKEY_REQUEST); false if one is outstanding. */
    abstract boolean requestRekey(RekeyKind kind, long now) throws QspProtocolException;

    /** An authenticated REKEY message from the peer (SPEC.md §4.10). */
    abstract void onMessage(RekeyMessage m, byte[] encoded, long now) throws QspProtocolException;

    /** Server: starts the automatic rekey when a trigger fires (SPEC.md §4.10); a client has none. */
    void checkTriggers(long now) throws QspProtocolException {}

    /** Server: INIT sent or waiting for its task; client: ACK sent or waiting for its task. */
    abstract boolean inFlight();

    /** Server: no REKEY_INIT has been sealed for the next rekey yet (none in flight, or its task still runs). */
    boolean initNotSealed() { return false; }

    /** Inbound frames must wait: the server is completing the key sources of a REKEY_ACK (SPEC.md §4.15). */
    boolean pausesInbound() { return false; }

    /** Erases every secret of the driver (the engine ended); the state type stays, for what the engine reports. */
    void destroy() {
        Secrets.destroy(epochSecret);
        epochSecret = null;
    }

    final long hardRecordLimit() { return policy.hardRecords(aead); }

    final int epoch() { return epoch; }

    /** Test hook (via {@link QspEngine#jumpEpochForTest}): the current epoch is numbered {@code e}, its keys unchanged. */
    final void jumpEpochForTest(int e) { epoch = e; }

    final long rekeyCount() { return rekeyCount; }

    final RekeyKind epochKind() { return epochKind; }

    /** The key sources of the latest fresh rekey this side took part in (empty before the first). */
    final List<KeySourceInfo> lastFresh() { return lastFresh; }

    /** The epoch the latest fresh rekey led to, or -1. */
    final long lastFreshEpoch() { return lastFreshEpoch; }

    // ---- for the two roles ------------------------------------------------------------------------------

    final long epochStartNanos() { return epochStartNanos; }

    final void rekeyStarted(long now) { rekeyStartNanos = now; }

    /** A message that the role never receives: {@code UNEXPECTED_MESSAGE}. */
    final QspProtocolException notForThisRole(RekeyMessage m) {
        return new QspProtocolException(QspError.UNEXPECTED_MESSAGE,
                m.getClass().getSimpleName() + " sent to the " + (this instanceof ServerRekey ? "server" : "client"));
    }

    /**
     * E_{e+1} and its traffic keys (SPEC.md §3 stage 5) from the current epoch secret, TH_rekey =
     * SHA-384(REKEY_INIT plaintext ‖ REKEY_ACK plaintext) (§4.10; pinned by {@code vectors/example-rekey.txt},
     * §4.16) and the fresh secrets, if any. The digest is made per rekey: kept per connection, its SHA-384 state
     * would be ~180 bytes of every established connection's heap between rekeys (§4.15).
     */
    final QspEpochKeys nextEpochKeys(int next, byte[] init, byte[] ack, SlotSecrets secrets) throws QspProtocolException {
        MessageDigest rekeyDigest = Transcript.sha384();
        rekeyDigest.update(init);
        rekeyDigest.update(ack);
        return schedule.nextEpochKeys(aead, epochSecret, next, rekeyDigest.digest(), secrets.kem, secrets.qkd);
    }

    /** What the key sources did in the fresh rekey that leads to {@code next}. */
    final void freshSources(List<KeySourceInfo> info, int next) {
        lastFresh = List.copyOf(info);
        lastFreshEpoch = Integer.toUnsignedLong(next);
    }

    /** This side's epoch is now {@code next}: E_e is destroyed, E_{e+1} kept. */
    final void switchEpoch(SecretKey nextSecret, int next, RekeyKind kind) {
        Secrets.destroy(epochSecret);
        epochSecret = nextSecret;
        epoch = next;
        epochKind = kind;
    }

    /** The rekey is complete at this side (both directions switched): counted, the epoch's clock starts. */
    final void completed(long now) {
        rekeyCount++;
        epochStartNanos = now;
        sender.completed(epochKind, epoch, now - rekeyStartNanos, epochKind == RekeyKind.FRESH ? lastFresh : List.of());
    }
}
