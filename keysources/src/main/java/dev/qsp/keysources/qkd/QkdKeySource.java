package dev.qsp.keysources.qkd;

import dev.qsp.keysources.KeySource;
import dev.qsp.keysources.qkd.QkdException.Reason;
import dev.qsp.keysources.qkd.QkdOffer.Kind;
import dev.qsp.keysources.qkd.json.KmeStatus;
import java.lang.System.Logger.Level;
import java.util.Objects;
import java.util.Properties;
import javax.net.ssl.SSLContext;

/**
 * QKD keys over ETSI GS QKD 014 as a {@link KeySource} for slot {@link Slot#QKD} (SPEC.md §5.2-5.4).
 *
 * <p>The initiator (client in a handshake, server in a fresh rekey) is the master SAE: it checks its KME's
 * status for the peer, calls enc_keys for one key of the configured size and offers its key ID. The responder
 * is the slave: it calls dec_keys at its own KME with that ID and acknowledges. The secret is the key itself
 * ({@code keySizeBits / 8} bytes), fed to the key schedule as {@code qkd_key} (SPEC.md §3 stages 1 and 5).
 *
 * <p>Policy: under {@link QkdPolicy#REQUIRE} any failure throws {@link QkdException}; under
 * {@link QkdPolicy#PREFER} a KME failure becomes an UNAVAILABLE offer or reply carrying the reason, and the
 * exchange yields an empty secret, so the fallback is in the transcript and in the key schedule's input;
 * protocol violations (malformed or replayed offer, wrong SAE ID, wrong key size) throw under every policy.
 * Under {@link QkdPolicy#DISABLED} it never calls the KME: it is left out of a client's offers
 * ({@link #initiates()}) and answers (or, as the server of a fresh rekey, offers) UNAVAILABLE(POLICY_DISABLED).
 *
 * <p>Each exchange makes exactly one enc_keys, and keys are never fetched ahead: a KME that discards a master's
 * unclaimed keys on its next enc_keys can then only hurt two concurrent exchanges between the same SAE pair, and
 * the responder of the older one sees KEY_NOT_FOUND (an abort under REQUIRE, a signalled fallback under PREFER).
 */
public final class QkdKeySource implements KeySource {
    /** The source's identifier on the wire and in the session ({@code "qkd"}). */
    public static final String ID = "qkd";
    private static final System.Logger LOG = System.getLogger(QkdKeySource.class.getName());
    private static final byte[] NO_SECRET = new byte[0];

    private final QkdPolicy policy;
    private final QkdClient client;
    private final String peerSaeId;
    private final int keySizeBits;
    private final KmeDrawBudget budget;
    /** The peer's certificate identity must equal its SAE ID ({@code qsp.qkd.peer.sae.bind=identity}). */
    private volatile boolean bindPeerIdentity;

    /**
     * A source with the default budget of KME draws ({@value KmeDrawBudget#DEFAULT_PER_SECOND} per second).
     *
     * @param policy      what to do when QKD is unavailable (SPEC.md §5.4)
     * @param client      the client of this SAE's KME
     * @param peerSaeId   the peer's SAE ID
     * @param keySizeBits the QKD key size, a multiple of 8 in 256..8192
     */
    public QkdKeySource(QkdPolicy policy, QkdClient client, String peerSaeId, int keySizeBits) {
        this(policy, client, peerSaeId, keySizeBits, new KmeDrawBudget(KmeDrawBudget.DEFAULT_PER_SECOND));
    }

    /**
     * As above, with the budget of KME draws (enc_keys and dec_keys) this source may make per second.
     *
     * @param policy      what to do when QKD is unavailable (SPEC.md §5.4)
     * @param client      the client of this SAE's KME
     * @param peerSaeId   the peer's SAE ID
     * @param keySizeBits the QKD key size, a multiple of 8 in 256..8192
     * @param budget      the budget of KME draws
     */
    public QkdKeySource(QkdPolicy policy, QkdClient client, String peerSaeId, int keySizeBits, KmeDrawBudget budget) {
        this.budget = Objects.requireNonNull(budget, "budget");
        this.policy = Objects.requireNonNull(policy);
        this.client = Objects.requireNonNull(client);
        this.peerSaeId = SaeIds.requireSaeId(peerSaeId, "peer SAE ID");
        if (keySizeBits < 256 || keySizeBits > 8192 || keySizeBits % 8 != 0) {
            throw new IllegalArgumentException("QKD key size must be a multiple of 8 in 256..8192 bits, got " + keySizeBits);
        }
        this.keySizeBits = keySizeBits;
    }

    /** Property binding the peer's SAE ID to its certificate identity: {@code identity} or {@code none} (default). */
    public static final String PEER_SAE_BIND = "qsp.qkd.peer.sae.bind";

    /**
     * Binds the peer's SAE ID to its certificate identity (SPEC.md §5.2): once the peer's certificate is verified,
     * the identity it proves must be the configured peer SAE ID, or the handshake fails (SAE_MISMATCH,
     * {@code KEY_SOURCE_FAILED}). On a server this needs client authentication.
     *
     * @param bind true to bind, false (the default) not to
     * @return this source
     */
    public QkdKeySource bindPeerIdentity(boolean bind) {
        this.bindPeerIdentity = bind;
        return this;
    }

    @Override
    public void peerAuthenticated(String peerIdentity) throws QkdException {
        if (bindPeerIdentity && !peerSaeId.equals(peerIdentity)) {
            throw new QkdException(Reason.SAE_MISMATCH, "the peer's certificate proves identity " + peerIdentity
                    + ", its QKD SAE ID is " + peerSaeId + " (" + PEER_SAE_BIND + "=identity)");
        }
    }

    /** Property with the budget of KME draws per second (default {@value KmeDrawBudget#DEFAULT_PER_SECOND}). */
    public static final String MAX_KEYS_PER_SECOND = "qsp.qkd.maxKeysPerSecond";

    /**
     * {@return a source from settings, talking HTTPS with mutual TLS from {@code tls}}
     *
     * @param policy   what to do when QKD is unavailable (SPEC.md §5.4)
     * @param settings the KME, the SAE IDs and the key size
     * @param tls      the mutual-TLS context towards the KME
     */
    public static QkdKeySource of(QkdPolicy policy, QkdSettings settings, SSLContext tls) {
        return of(policy, settings, tls, KmeDrawBudget.DEFAULT_PER_SECOND);
    }

    /**
     * As above, with at most {@code maxKeysPerSecond} KME draws per second.
     *
     * @param policy           what to do when QKD is unavailable (SPEC.md §5.4)
     * @param settings         the KME, the SAE IDs and the key size
     * @param tls              the mutual-TLS context towards the KME
     * @param maxKeysPerSecond the budget of KME draws per second
     * @return the source
     */
    public static QkdKeySource of(QkdPolicy policy, QkdSettings settings, SSLContext tls, int maxKeysPerSecond) {
        return new QkdKeySource(policy, settings.newClient(tls), settings.peerSaeId(), settings.keySizeBits(),
                new KmeDrawBudget(maxKeysPerSecond));
    }

    /**
     * {@return a source from the {@code qsp.qkd.*} properties ({@link QkdSettings}); the policy defaults to REQUIRE}
     *
     * @param p the properties
     * @throws java.security.GeneralSecurityException if the key store or trust store cannot be used
     * @throws java.io.IOException                    if the key store or trust store cannot be read
     */
    public static QkdKeySource fromProperties(Properties p) throws java.security.GeneralSecurityException, java.io.IOException {
        QkdPolicy policy = QkdPolicy.valueOf(p.getProperty(QkdSettings.POLICY, "REQUIRE").trim().toUpperCase(java.util.Locale.ROOT));
        String max = p.getProperty(MAX_KEYS_PER_SECOND);
        int perSecond;
        try {
            perSecond = max == null || max.isBlank() ? KmeDrawBudget.DEFAULT_PER_SECOND : Integer.parseInt(max.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(MAX_KEYS_PER_SECOND + ": '" + max + "' is not a whole number of draws per second");
        }
        String bind = p.getProperty(PEER_SAE_BIND, "none").strip().toLowerCase(java.util.Locale.ROOT);
        if (!bind.equals("none") && !bind.equals("identity")) {
            throw new IllegalArgumentException(PEER_SAE_BIND + ": '" + bind + "' is not one of none, identity");
        }
        return of(policy, QkdSettings.fromProperties(p), QkdSettings.tlsFromProperties(p), perSecond)
                .bindPeerIdentity(bind.equals("identity"));
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Slot slot() {
        return Slot.QKD;
    }

    /** {@return what this source does when QKD is unavailable} */
    public QkdPolicy policy() {
        return policy;
    }

    /** {@return the client of this SAE's KME} */
    public QkdClient client() {
        return client;
    }

    /** {@return the budget of KME draws per second this source keeps to} */
    public KmeDrawBudget budget() {
        return budget;
    }

    @Override
    public Initiation initiate() throws QkdException {
        if (policy == QkdPolicy.DISABLED) {
            // Only reached as the server of a fresh rekey in a session where this side answered the client's QKD
            // offer with UNAVAILABLE(POLICY_DISABLED): say so again, without calling the KME (SPEC.md §5.4).
            return new QkdInitiation(QkdOffer.unavailable(client.saeId(), Reason.POLICY_DISABLED), null);
        }
        try {
            QkdKey key = obtainAsMaster();
            return new QkdInitiation(QkdOffer.key(client.saeId(), keySizeBits, key.keyId()), key);
        } catch (QkdException e) {
            if (policy == QkdPolicy.REQUIRE || e.reason().wireCode() == 0) {
                throw e;
            }
            LOG.log(Level.WARNING, "no QKD key from the KME, offering UNAVAILABLE (policy PREFER): {0}", e.getMessage());
            return new QkdInitiation(QkdOffer.unavailable(client.saeId(), e.reason()), null);
        }
    }

    /**
     * Status first (SAE IDs, size limits: a specific error rather than a vague 400), then enc_keys. The status's
     * {@code stored_key_count} is treated as advisory (SPEC.md §5.2): some KMEs count only keys already
     * delivered and unclaimed, so 0 does not mean that enc_keys will fail — it is always asked. Its 400 or 503
     * after a count of 0 is the KME saying it has no key: POOL_EMPTY, with the KME's own answer kept.
     */
    private QkdKey obtainAsMaster() throws QkdException {
        budget.take(); // before any KME call (SPEC.md §5.4)
        KmeStatus st = client.status(peerSaeId);
        if (keySizeBits < st.minKeySize() || keySizeBits > st.maxKeySize()) {
            throw new QkdException(Reason.BAD_KEY_SIZE, "KME " + st.sourceKmeId() + " serves " + st.minKeySize()
                    + ".." + st.maxKeySize() + "-bit keys, this source needs " + keySizeBits);
        }
        try {
            return client.encKey(peerSaeId, keySizeBits);
        } catch (QkdException e) {
            if (st.storedKeyCount() < 1
                    && (e.reason() == Reason.BAD_REQUEST || e.reason() == Reason.SERVICE_UNAVAILABLE)) {
                throw new QkdException(Reason.POOL_EMPTY, "KME " + st.sourceKmeId() + " has no key for "
                        + client.saeId() + " -> " + peerSaeId + " (status stored_key_count 0, then "
                        + e.getMessage() + ")", e);
            }
            throw e;
        }
    }

    /** Under DISABLED the source only answers: a client leaves it out of its ClientHello. */
    @Override
    public boolean initiates() {
        return policy != QkdPolicy.DISABLED;
    }

    /**
     * The peer offered no QKD (or did not answer this side's offer): an abort under REQUIRE, a logged fallback
     * under PREFER (the absence is in the transcript), nothing under DISABLED.
     */
    @Override
    public void peerAbsent() throws QkdException {
        switch (policy) {
            case REQUIRE -> throw new QkdException(Reason.PEER_UNAVAILABLE, "peer " + peerSaeId
                    + " takes no part in QKD and policy is REQUIRE");
            case PREFER -> LOG.log(Level.WARNING, "peer {0} takes no part in QKD, continuing without"
                    + " (policy PREFER)", peerSaeId);
            case DISABLED -> { }
        }
    }

    /**
     * {@code key_ID=<uuid> (<bits> bits, <master> -> <slave>)} for a key both ends hold, else
     * {@code fallback: <side> UNAVAILABLE <reason>}; computed from the transcript-bound messages alone.
     */
    @Override
    public String describe(byte[] offerBytes, byte[] replyBytes) {
        try {
            QkdOffer offer = QkdOffer.parse(offerBytes);
            QkdReply reply = QkdReply.parse(replyBytes);
            if (offer.kind() == Kind.UNAVAILABLE) {
                return "fallback: initiator " + offer.masterSaeId() + " UNAVAILABLE " + offer.reason();
            }
            if (reply.kind() == Kind.UNAVAILABLE) {
                return "fallback: responder " + reply.slaveSaeId() + " UNAVAILABLE " + reply.reason()
                        + " for key_ID=" + offer.keyId();
            }
            return "key_ID=" + offer.keyId() + " (" + offer.keySizeBits() + " bits, " + offer.masterSaeId() + " -> "
                    + reply.slaveSaeId() + ")";
        } catch (QkdException e) {
            return "unparsable QKD exchange";
        }
    }

    @Override
    public Response respond(byte[] offerBytes) throws QkdException {
        QkdOffer offer = QkdOffer.parse(offerBytes);
        if (!offer.masterSaeId().equals(peerSaeId)) {
            throw new QkdException(Reason.SAE_MISMATCH, "offer is from SAE " + offer.masterSaeId() + ", expected "
                    + peerSaeId);
        }
        if (policy == QkdPolicy.DISABLED) {
            return unavailable(Reason.POLICY_DISABLED);
        }
        if (offer.kind() == Kind.UNAVAILABLE) {
            if (policy == QkdPolicy.REQUIRE) {
                throw new QkdException(Reason.PEER_UNAVAILABLE, "initiator " + peerSaeId + " has no QKD key ("
                        + offer.reason() + ") and policy is REQUIRE");
            }
            LOG.log(Level.WARNING, "initiator {0} has no QKD key ({1}), continuing without (policy PREFER)",
                    peerSaeId, offer.reason());
            return unavailable(Reason.PEER_UNAVAILABLE);
        }
        if (offer.keySizeBits() != keySizeBits) {
            throw new QkdException(Reason.BAD_KEY_SIZE, "offer is for a " + offer.keySizeBits()
                    + "-bit key, this source is configured for " + keySizeBits);
        }
        QkdKey key;
        try {
            budget.take(); // before the KME call: a spent budget follows the policy like an outage (§5.4)
            key = client.decKey(peerSaeId, offer.keyId(), keySizeBits);
        } catch (QkdException e) {
            if (policy == QkdPolicy.REQUIRE || e.reason().wireCode() == 0) {
                throw e;
            }
            LOG.log(Level.WARNING, "cannot retrieve offered QKD key, replying UNAVAILABLE (policy PREFER): {0}",
                    e.getMessage());
            return unavailable(e.reason());
        }
        try {
            return new Response(QkdReply.ack(client.saeId(), key.keyId()).encode(), key.copyOfKey());
        } finally {
            key.destroy();
        }
    }

    private Response unavailable(Reason reason) {
        return new Response(QkdReply.unavailable(client.saeId(), reason).encode(), NO_SECRET.clone());
    }

    @Override
    public String toString() {
        return "QkdKeySource[" + client.saeId() + " -> " + peerSaeId + " via " + client.kmeBase() + ", "
                + keySizeBits + " bits, " + policy + "]";
    }

    /** One initiator exchange: holds the key (if any) until the reply arrives. */
    private final class QkdInitiation implements Initiation {
        private final QkdOffer offer;
        private QkdKey key;
        private boolean completed;
        private boolean destroyed;

        QkdInitiation(QkdOffer offer, QkdKey key) {
            this.offer = offer;
            this.key = key;
        }

        @Override
        public byte[] offer() {
            return offer.encode();
        }

        @Override
        public synchronized byte[] complete(byte[] replyBytes) throws QkdException {
            if (completed || destroyed) {
                throw new IllegalStateException("QKD exchange already " + (completed ? "completed" : "destroyed"));
            }
            completed = true;
            try {
                QkdReply reply = QkdReply.parse(replyBytes);
                if (!reply.slaveSaeId().equals(peerSaeId)) {
                    throw new QkdException(Reason.SAE_MISMATCH, "reply is from SAE " + reply.slaveSaeId()
                            + ", expected " + peerSaeId);
                }
                if (offer.kind() == Kind.UNAVAILABLE) { // only an UNAVAILABLE reply fits
                    if (reply.kind() != Kind.UNAVAILABLE) {
                        throw new QkdException(Reason.MALFORMED_REPLY, "reply acknowledges key " + reply.keyId()
                                + " but no key was offered");
                    }
                    return NO_SECRET.clone();
                }
                if (reply.kind() == Kind.UNAVAILABLE) {
                    if (policy == QkdPolicy.REQUIRE) {
                        throw new QkdException(Reason.PEER_UNAVAILABLE, "responder " + peerSaeId
                                + " could not obtain key " + key.keyId() + " (" + reply.reason() + ")");
                    }
                    LOG.log(Level.WARNING, "responder {0} could not obtain QKD key {1} ({2}), continuing without"
                            + " (policy PREFER)", peerSaeId, key.keyId(), reply.reason());
                    return NO_SECRET.clone();
                }
                if (!reply.keyId().equalsIgnoreCase(key.keyId())) {
                    throw new QkdException(Reason.MALFORMED_REPLY, "reply acknowledges key " + reply.keyId()
                            + ", offered " + key.keyId());
                }
                return key.copyOfKey();
            } finally {
                destroy();
            }
        }

        @Override
        public synchronized void destroy() {
            destroyed = true;
            if (key != null) {
                key.destroy();
                key = null;
            }
        }

        @Override
        public String toString() {
            return "QkdInitiation[" + offer.kind() + (offer.keyId() != null ? " " + offer.keyId() : "") + "]";
        }
    }
}
