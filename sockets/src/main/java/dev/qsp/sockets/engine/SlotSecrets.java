package dev.qsp.sockets.engine;

import dev.qsp.keysources.KeySource;
import dev.qsp.sockets.QspError;
import dev.qsp.sockets.QspProtocolException;

/**
 * The secrets of one exchange sorted into key-schedule slots (SPEC.md §3 stage 1, §4.5): at most one source per
 * slot; absent slots stay null. Erased once fed to the key schedule.
 */
final class SlotSecrets {
    byte[] kem;
    byte[] qkd;
    byte[] psk;

    void put(KeySource.Slot slot, String sourceId, byte[] secret) throws QspProtocolException {
        byte[] prev = switch (slot) {
            case KEM -> kem;
            case QKD -> qkd;
            case PSK -> psk;
        };
        if (prev != null) {
            Secrets.erase(secret);
            throw new QspProtocolException(QspError.ILLEGAL_PARAMETER,
                    "two key sources for slot " + slot + " (second: '" + sourceId + "')");
        }
        switch (slot) {
            case KEM -> kem = secret;
            case QKD -> qkd = secret;
            case PSK -> psk = secret;
        }
    }

    /** Whether the source of {@code slot} contributed a non-empty secret. */
    boolean contributed(KeySource.Slot slot) {
        byte[] s = switch (slot) {
            case KEM -> kem;
            case QKD -> qkd;
            case PSK -> psk;
        };
        return s != null && s.length > 0;
    }

    void erase() {
        Secrets.erase(kem);
        Secrets.erase(qkd);
        Secrets.erase(psk);
    }
}
