package dev.qsp.sockets.engine;

import dev.qsp.keysources.KeySource;
import java.util.Objects;

/**
 * What one key source did in a handshake or fresh rekey (SPEC.md §4.5, §5.4), as both ends see it: its id and
 * slot, whether it contributed a secret, and the source's public description of the exchange (for QKD the key
 * ID, or the fallback and its reason). A source that contributed nothing is listed too, so a fallback is visible.
 *
 * @param id          the source id, e.g. {@code x-wing}, {@code qkd}
 * @param slot        the key-schedule slot it feeds
 * @param contributed false when it signalled in-band that it had no secret, or the peer took no part
 * @param detail      {@link KeySource#describe}, or what the engine knows ("not answered by the peer"); never secret
 */
public record KeySourceInfo(String id, KeySource.Slot slot, boolean contributed, String detail) {
    /** Requires {@code id}, {@code slot} and {@code detail}. */
    public KeySourceInfo {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(slot, "slot");
        Objects.requireNonNull(detail, "detail");
    }

    /** E.g. {@code qkd [QKD] key_ID=… (256 bits, SAE_A -> SAE_B)} or {@code qkd [QKD, no secret] fallback: …}. */
    @Override
    public String toString() {
        return id + " [" + slot + (contributed ? "" : ", no secret") + "]" + (detail.isEmpty() ? "" : " " + detail);
    }
}
