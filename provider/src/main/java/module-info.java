/**
 * The QSP JCA provider: hybrid KEMs (X-Wing, X25519MLKEM768) and the QSP key schedule (QSP-KDF).
 * Registered for ServiceLoader both here (module path) and in META-INF/services (class path).
 */
module dev.qsp.provider {
    requires org.bouncycastle.provider;

    exports dev.qsp.provider;
    exports dev.qsp.provider.kdf;
    exports dev.qsp.provider.kem;

    provides java.security.Provider with dev.qsp.provider.QspProvider;
}
