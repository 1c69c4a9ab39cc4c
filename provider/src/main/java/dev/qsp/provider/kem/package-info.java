/**
 * The hybrid KEMs of the QSP provider (SPEC.md §2): {@code X-Wing} (draft-connolly-cfrg-xwing-kem) and
 * {@code X25519MLKEM768} (draft-ietf-tls-ecdhe-mlkem), each as a {@code KEM}, {@code KeyPairGenerator} and
 * {@code KeyFactory} service.
 *
 * <p>Use them through the JCA, for example {@code KEM.getInstance("X-Wing", "QSP")}. The public types of this
 * package are the raw key specs ({@link dev.qsp.provider.kem.XWingPublicKeySpec} and the others) and the SPI
 * classes the provider registers; keys are plain {@link java.security.PublicKey} / {@link
 * java.security.PrivateKey} objects.
 */
package dev.qsp.provider.kem;
