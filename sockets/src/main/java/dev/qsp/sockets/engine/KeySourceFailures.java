package dev.qsp.sockets.engine;

import dev.qsp.keysources.KeySource;
import dev.qsp.keysources.KeySourceException;
import dev.qsp.sockets.QspError;
import dev.qsp.sockets.QspProtocolException;

/**
 * The one mapping from a key source's failure to an error code (SPEC.md §4.11, §5.4): an outage of a QKD-slot
 * source is {@code QKD_UNAVAILABLE}, so a fail-closed abort says that QKD was unavailable; a required PSK the
 * peer did not take part in is {@code PSK_REQUIRED}; anything else
 * (malformed or replayed message, SAE ID or key size mismatch, another slot) is {@code KEY_SOURCE_FAILED}.
 * The source's exception, with its specific reason, is the cause.
 */
final class KeySourceFailures {
    private KeySourceFailures() {}

    static QspProtocolException of(KeySource source, KeySourceException e, String context) {
        QspError code = source.slot() == KeySource.Slot.QKD && e.unavailable() ? QspError.QKD_UNAVAILABLE
                : source.slot() == KeySource.Slot.PSK && e.requiredButAbsent() ? QspError.PSK_REQUIRED
                : QspError.KEY_SOURCE_FAILED;
        return new QspProtocolException(code, context + "key source '" + source.id() + "': " + e.getMessage(), false, e);
    }
}
