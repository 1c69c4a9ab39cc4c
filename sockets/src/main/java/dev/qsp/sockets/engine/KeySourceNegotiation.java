package dev.qsp.sockets.engine;

import dev.qsp.keysources.KeySource;
import dev.qsp.keysources.KeySourceException;
import dev.qsp.sockets.QspError;
import dev.qsp.sockets.QspProtocolException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Key-source negotiation (SPEC.md §4.5, §5.1), written once for the two exchanges that run it: the handshake
 * (client initiates in the ClientHello, server answers in the ServerHello) and the fresh rekey (server initiates
 * in REKEY_INIT, client answers in REKEY_ACK, §4.10). Each exchange is initiate → respond → complete, with the
 * secrets sorted into key-schedule slots ({@link SlotSecrets}) and what each source did kept as a
 * {@link KeySourceInfo}. The key-source calls ({@link #initiate}, {@link #respond}, {@link #complete}) are task
 * bodies (§4.15): they touch no engine state and erase what they made when they fail (§4.14). What differs
 * between the exchanges is only which lists must match, and those rules are here too, one method each.
 */
final class KeySourceNegotiation {
    /** The prefix of a key-source failure's message in a fresh rekey (the handshake's has none). */
    static final String FRESH_REKEY = "fresh rekey: ";

    private KeySourceNegotiation() {}

    /** The responder's side of one exchange: the replies to send, the slot secrets (copies) and what each did. */
    record Answer(List<KeySourceEntry> replies, SlotSecrets secrets, List<KeySourceInfo> info) {}

    // ---- the key-source calls (task bodies, SPEC.md §4.15) ------------------------------------------------------

    /** Initiator: every source's {@code initiate()}, in order (a QKD source: a new enc_keys, §5.6). */
    static Map<String, KeySource.Initiation> initiate(List<KeySource> sources, String context) throws QspProtocolException {
        Map<String, KeySource.Initiation> initiations = new LinkedHashMap<>();
        for (KeySource s : sources) {
            try {
                initiations.put(s.id(), s.initiate());
            } catch (KeySourceException e) {
                destroyInitiations(initiations);
                throw KeySourceFailures.of(s, e, context);
            }
        }
        return initiations;
    }

    /**
     * Responder: {@code respond(offer)} per source, results in the sources' order. A QKD source is asked last
     * (SPEC.md §4.13): its KME call spends a shared, slowly refilled pool, so an exchange whose other offers fail
     * draws no key.
     */
    static List<KeySource.Response> respond(List<KeySource> sources, List<KeySourceEntry> offers, String context)
            throws QspProtocolException {
        KeySource.Response[] out = new KeySource.Response[sources.size()];
        try {
            for (boolean qkdPass : new boolean[] {false, true}) {
                for (int i = 0; i < sources.size(); i++) {
                    KeySource src = sources.get(i);
                    if ((src.slot() == KeySource.Slot.QKD) != qkdPass) continue;
                    try {
                        out[i] = src.respond(KeySourceEntry.find(offers, src.id()).dataNoCopy());
                    } catch (KeySourceException e) {
                        throw KeySourceFailures.of(src, e, context);
                    }
                }
            }
        } catch (QspProtocolException | RuntimeException e) {
            for (KeySource.Response r : out) if (r != null) r.destroy(); // secrets already made (§4.14)
            throw e;
        }
        return List.of(out);
    }

    /**
     * Initiator: {@code complete(reply)} per answered source ({@code answered.get(i)} answered by
     * {@code replies.get(i)}), into slot secrets. On failure the secrets and the initiations are erased.
     */
    static SlotSecrets complete(List<KeySource> answered, List<KeySourceEntry> replies,
                                Map<String, KeySource.Initiation> initiations, String context) throws QspProtocolException {
        SlotSecrets secrets = new SlotSecrets();
        try {
            for (int i = 0; i < answered.size(); i++) {
                KeySource src = answered.get(i);
                try {
                    secrets.put(src.slot(), src.id(), initiations.get(src.id()).complete(replies.get(i).dataNoCopy()));
                } catch (KeySourceException e) {
                    throw KeySourceFailures.of(src, e, context);
                }
            }
            return secrets;
        } catch (QspProtocolException | RuntimeException e) {
            secrets.erase();
            destroyInitiations(initiations);
            throw e;
        }
    }

    // ---- what goes on the wire and into the session -----------------------------------------------------------

    /** Initiator: the offers to send, one per initiation, in order. */
    static List<KeySourceEntry> offers(Map<String, KeySource.Initiation> initiations) {
        List<KeySourceEntry> offers = new ArrayList<>();
        initiations.forEach((id, i) -> offers.add(new KeySourceEntry(id, i.offer())));
        return offers;
    }

    /**
     * Responder: turns the responses into the replies to send, the slot secrets (copies: the responses are
     * destroyed by the caller) and what each source did. The caller erases {@link Answer#secrets()}.
     */
    static Answer answer(List<KeySource> sources, List<KeySourceEntry> offers, List<KeySource.Response> responses)
            throws QspProtocolException {
        List<KeySourceEntry> replies = new ArrayList<>();
        List<KeySourceInfo> info = new ArrayList<>();
        SlotSecrets secrets = new SlotSecrets();
        try {
            for (int i = 0; i < sources.size(); i++) {
                KeySource src = sources.get(i);
                KeySource.Response r = responses.get(i);
                byte[] offer = KeySourceEntry.find(offers, src.id()).dataNoCopy();
                info.add(new KeySourceInfo(src.id(), src.slot(), r.contributed(), src.describe(offer, r.reply())));
                secrets.put(src.slot(), src.id(), r.secret().clone());
                replies.add(new KeySourceEntry(src.id(), r.reply()));
            }
        } catch (QspProtocolException | RuntimeException e) {
            secrets.erase();
            throw e;
        }
        return new Answer(replies, secrets, info);
    }

    /** Initiator: what each answered source did, once its secret is in {@code secrets}. */
    static List<KeySourceInfo> completed(List<KeySource> answered, List<KeySourceEntry> offers, List<KeySourceEntry> replies,
                                         SlotSecrets secrets) {
        List<KeySourceInfo> info = new ArrayList<>();
        for (int i = 0; i < answered.size(); i++) {
            KeySource src = answered.get(i);
            byte[] offer = KeySourceEntry.find(offers, src.id()).dataNoCopy();
            info.add(new KeySourceInfo(src.id(), src.slot(), secrets.contributed(src.slot()),
                    src.describe(offer, replies.get(i).dataNoCopy())));
        }
        return info;
    }

    /** A configured source the peer did not take part in: one that must contribute fails here (QKD under REQUIRE, §5.4). */
    static void peerAbsent(KeySource src) throws QspProtocolException {
        try {
            src.peerAbsent();
        } catch (KeySourceException e) {
            throw KeySourceFailures.of(src, e, "");
        }
    }

    static void destroyInitiations(Map<String, KeySource.Initiation> initiations) {
        if (initiations != null) initiations.values().forEach(KeySource.Initiation::destroy);
    }

    static void destroyResponses(List<KeySource.Response> responses) {
        if (responses != null) responses.forEach(KeySource.Response::destroy);
    }

    // ---- which lists must match (SPEC.md §4.5, §4.10) --------------------------------------------------------------

    /**
     * Server, handshake: the sources that answer a ClientHello's offers — the first KEM offer (client order) this
     * server supports and every other offered source it has; unknown ids are ignored (§4.2). None for the KEM slot
     * is {@code NO_COMMON_SUITE}.
     */
    static List<KeySource> answering(List<KeySourceEntry> offers, List<KeySource> own) throws QspProtocolException {
        List<KeySource> answering = new ArrayList<>();
        boolean haveKem = false;
        for (KeySourceEntry offer : offers) {
            KeySource src = find(own, offer.sourceId());
            if (src == null) continue;
            if (src.slot() == KeySource.Slot.KEM) {
                if (haveKem) continue;
                haveKem = true;
            }
            answering.add(src);
        }
        if (!haveKem) throw new QspProtocolException(QspError.NO_COMMON_SUITE, "no common KEM");
        return answering;
    }

    /**
     * Client, handshake: the sources the ServerHello's replies answer, in reply order. Each reply must be for an
     * offered source, and exactly one for the KEM slot ({@code ILLEGAL_PARAMETER}).
     */
    static List<KeySource> handshakeAnswered(List<KeySourceEntry> replies, Map<String, KeySource.Initiation> initiations,
                                             List<KeySource> own) throws QspProtocolException {
        List<KeySource> answered = new ArrayList<>();
        boolean haveKem = false;
        for (KeySourceEntry reply : replies) {
            KeySource src = find(own, reply.sourceId());
            if (initiations.get(reply.sourceId()) == null || src == null) {
                throw new QspProtocolException(QspError.ILLEGAL_PARAMETER, "server replied for key source '" + reply.sourceId() + "' that was not offered");
            }
            if (src.slot() == KeySource.Slot.KEM) {
                if (haveKem) throw new QspProtocolException(QspError.ILLEGAL_PARAMETER, "server answered two KEM offers");
                haveKem = true;
            }
            answered.add(src);
        }
        if (!haveKem) throw new QspProtocolException(QspError.ILLEGAL_PARAMETER, "server answered no KEM offer");
        return answered;
    }

    /**
     * Client, fresh rekey: the sources a REKEY_INIT offers, in offer order; the offers must name exactly the
     * session's fresh-rekey sources ({@code ILLEGAL_PARAMETER}, §4.10).
     */
    static List<KeySource> rekeyOffered(List<KeySourceEntry> offers, List<KeySource> sources) throws QspProtocolException {
        if (offers.size() != sources.size()) {
            throw new QspProtocolException(QspError.ILLEGAL_PARAMETER, "fresh REKEY_INIT offers " + offers.size()
                    + " key sources, the session has " + sources.size());
        }
        List<KeySource> offered = new ArrayList<>();
        for (KeySourceEntry offer : offers) {
            KeySource src = find(sources, offer.sourceId());
            if (src == null) throw new QspProtocolException(QspError.ILLEGAL_PARAMETER, "REKEY_INIT offers source '" + offer.sourceId() + "' not negotiated");
            offered.add(src);
        }
        return offered;
    }

    /**
     * Server, rekey: the sources a REKEY_ACK's replies answer, in reply order; the replies must answer exactly the
     * offered sources ({@code ILLEGAL_PARAMETER}, §4.10), so a ratchet's ACK has none.
     */
    static List<KeySource> rekeyAnswered(List<KeySourceEntry> replies, Map<String, KeySource.Initiation> initiations,
                                         List<KeySource> sources) throws QspProtocolException {
        if (replies.size() != initiations.size()) {
            throw new QspProtocolException(QspError.ILLEGAL_PARAMETER, "REKEY_ACK answers " + replies.size()
                    + " key sources, " + initiations.size() + " were offered");
        }
        List<KeySource> answered = new ArrayList<>();
        for (KeySourceEntry reply : replies) {
            if (initiations.get(reply.sourceId()) == null) {
                throw new QspProtocolException(QspError.ILLEGAL_PARAMETER, "REKEY_ACK answers unoffered source '" + reply.sourceId() + "'");
            }
            answered.add(find(sources, reply.sourceId()));
        }
        return answered;
    }

    static KeySource find(List<KeySource> sources, String id) {
        for (KeySource s : sources) if (s.id().equals(id)) return s;
        return null;
    }
}
