/**
 * The QSP key schedule as a JCA {@code KDF} service named {@code QSP-KDF} (SPEC.md, "Key schedule").
 *
 * <p>Callers obtain it with {@code KDF.getInstance("QSP-KDF", provider)} and pass one of the immutable
 * parameter specs of this package. Stage outputs (handshake secret, epoch secrets, finished keys) come back from
 * {@code deriveKey("QSP-Secret", spec)} as {@link dev.qsp.provider.kdf.QspSecretKey}, which can be destroyed;
 * traffic keys come back from {@code deriveKey(cipherAlgorithm, TrafficKeySpec)}.
 */
package dev.qsp.provider.kdf;
