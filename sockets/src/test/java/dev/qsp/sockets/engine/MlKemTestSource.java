package dev.qsp.sockets.engine;

import dev.qsp.keysources.KeySource;
import dev.qsp.keysources.KeySourceException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.spec.NamedParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import javax.crypto.KEM;
import javax.crypto.SecretKey;

/**
 * A real KEM key source over the JDK's ML-KEM-768, used by the engine tests so that they exercise the KEM slot
 * independently of the QSP provider's hybrid KEMs (and as a second KEM to negotiate between).
 */
final class MlKemTestSource implements KeySource {
    private final SecureRandom random;
    private final String id;

    MlKemTestSource(String id, SecureRandom random) {
        this.id = id;
        this.random = random;
    }

    @Override
    public String id() { return id; }

    @Override
    public Slot slot() { return Slot.KEM; }

    @Override
    public Initiation initiate() throws KeySourceException {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("ML-KEM");
            g.initialize(NamedParameterSpec.ML_KEM_768, random);
            KeyPair kp = g.generateKeyPair();
            byte[] offer = kp.getPublic().getEncoded();
            return new Initiation() {
                private PrivateKey sk = kp.getPrivate();

                @Override
                public byte[] offer() { return offer.clone(); }

                @Override
                public byte[] complete(byte[] reply) throws KeySourceException {
                    try {
                        SecretKey k = KEM.getInstance("ML-KEM").newDecapsulator(sk).decapsulate(reply);
                        return k.getEncoded();
                    } catch (GeneralSecurityException e) {
                        throw new KeySourceException(id + ": decapsulation failed", e);
                    } finally {
                        sk = null;
                    }
                }

                @Override
                public void destroy() { sk = null; }
            };
        } catch (GeneralSecurityException e) {
            throw new KeySourceException(id + ": keygen failed", e);
        }
    }

    @Override
    public Response respond(byte[] offer) throws KeySourceException {
        try {
            var pk = KeyFactory.getInstance("ML-KEM").generatePublic(new X509EncodedKeySpec(offer));
            KEM.Encapsulated e = KEM.getInstance("ML-KEM").newEncapsulator(pk, random).encapsulate();
            return new Response(e.encapsulation(), e.key().getEncoded());
        } catch (GeneralSecurityException e) {
            throw new KeySourceException(id + ": bad offer", e);
        }
    }
}
