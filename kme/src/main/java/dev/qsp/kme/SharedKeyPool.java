package dev.qsp.kme;

import dev.qsp.keysources.qkd.json.KeyEntry;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The key material two simulated KMEs share: what the QKD link between them would have distilled. For each
 * ordered (master SAE, slave SAE) pair there is a pool of {@code stored_key_count} keys; enc_keys at the master's
 * KME takes keys from it and keeps them pending; dec_keys at the slave's KME delivers each pending key once and
 * erases it. Key bytes and key IDs come from the injected {@link SecureRandom}. Thread-safe.
 */
final class SharedKeyPool {
    private record Link(String master, String slave) {
    }

    private static final class Pending {
        final byte[] key;
        boolean relayed;

        Pending(byte[] key, boolean relayed) {
            this.key = key;
            this.relayed = relayed;
        }
    }

    private static final class LinkState {
        int available;
        final LinkedHashMap<String, Pending> pending = new LinkedHashMap<>();
    }

    private final SecureRandom random;
    private final Map<String, String> kmeOfSae = new HashMap<>();
    private final Map<Link, LinkState> links = new HashMap<>();
    private volatile KmeSettings settings;
    private boolean holdRelay;

    SharedKeyPool(KmeSettings settings, SecureRandom random) {
        this.settings = settings;
        this.random = random;
    }

    KmeSettings settings() {
        return settings;
    }

    synchronized void settings(KmeSettings s) {
        settings = s;
    }

    synchronized void register(String saeId, String kmeId) {
        if (kmeOfSae.putIfAbsent(saeId, kmeId) != null) {
            throw new IllegalArgumentException("SAE " + saeId + " is already registered");
        }
    }

    synchronized String kmeOf(String saeId) {
        return kmeOfSae.get(saeId);
    }

    /** stored_key_count for the pair. */
    synchronized int available(String master, String slave) {
        return state(master, slave).available;
    }

    /** Keys enc_keys has delivered for the pair that dec_keys has not claimed yet. */
    synchronized int unclaimed(String master, String slave) {
        return state(master, slave).pending.size();
    }

        /** Empties the pool of the pair (an exhausted QKD link). */
    synchronized void drain(String master, String slave) {
        state(master, slave).available = 0;
    }

    /** While held, keys handed out by enc_keys are not yet known to the slave's KME (relay lag). */
    synchronized void holdRelay(boolean hold) {
        holdRelay = hold;
        if (!hold) {
            for (LinkState s : links.values()) {
                s.pending.values().forEach(p -> p.relayed = true);
            }
        }
    }

    synchronized List<KeyEntry> take(String master, String slave, int number, int sizeBits) throws KmeError {
        KmeSettings cfg = settings;
        LinkState s = state(master, slave);
        if (s.available < number) {
            throw new KmeError(cfg.emptyPoolStatus(), "insufficient keys: " + number + " requested, "
                    + s.available + " stored for " + master + " -> " + slave);
        }
        if (cfg.discardUnconsumedOnEncKeys()) {
            s.pending.values().forEach(p -> Arrays.fill(p.key, (byte) 0));
            s.pending.clear();
        }
        List<KeyEntry> out = new ArrayList<>(number);
        for (int i = 0; i < number; i++) {
            byte[] key = new byte[sizeBits / 8];
            random.nextBytes(key);
            String id = newKeyId();
            // Bounded: the oldest unclaimed key is dropped first, as a KME with a full buffer would.
            if (s.pending.size() >= cfg.maxKeyCount()) {
                Iterator<Pending> it = s.pending.values().iterator();
                Arrays.fill(it.next().key, (byte) 0);
                it.remove();
            }
            s.pending.put(id, new Pending(key, !holdRelay));
            out.add(new KeyEntry(id, Base64.getEncoder().encodeToString(key)));
        }
        s.available = cfg.autoRefill() ? cfg.maxKeyCount() : s.available - number;
        return out;
    }

    /** Delivers the keys once, all or none. */
    synchronized List<KeyEntry> deliver(String master, String slave, List<String> keyIds) throws KmeError {
        LinkState s = state(master, slave);
        for (String id : keyIds) {
            Pending p = s.pending.get(id);
            if (p == null || !p.relayed) {
                throw new KmeError(400, "key_ID " + id + " is not available to " + slave + " from " + master
                        + " (never issued for this pair, already delivered, or not yet relayed)");
            }
        }
        List<KeyEntry> out = new ArrayList<>(keyIds.size());
        for (String id : keyIds) {
            Pending p = s.pending.remove(id);
            out.add(new KeyEntry(id, Base64.getEncoder().encodeToString(p.key)));
            Arrays.fill(p.key, (byte) 0);
        }
        return out;
    }

    private LinkState state(String master, String slave) {
        return links.computeIfAbsent(new Link(master, slave), l -> {
            LinkState s = new LinkState();
            s.available = settings.maxKeyCount();
            return s;
        });
    }

    /** A version-4 UUID (RFC 4122 §4.4) from the injected random. */
    private String newKeyId() {
        byte[] b = new byte[16];
        random.nextBytes(b);
        b[6] = (byte) ((b[6] & 0x0f) | 0x40);
        b[8] = (byte) ((b[8] & 0x3f) | 0x80);
        long hi = 0;
        long lo = 0;
        for (int i = 0; i < 8; i++) {
            hi = (hi << 8) | (b[i] & 0xff);
            lo = (lo << 8) | (b[i + 8] & 0xff);
        }
        return new UUID(hi, lo).toString();
    }
}
