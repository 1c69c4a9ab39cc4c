package dev.qsp.keysources.qkd;

/**
 * Jackson is an optional dependency of the key sources (only QKD's ETSI GS QKD 014 bodies need it, README "Use it
 * from Maven"): a QKD client built without it fails at configuration, naming what to add, rather than with a
 * NoClassDefFoundError at the first handshake. This class must not refer to a Jackson type itself.
 */
final class QkdJson {
    static final String MODULE = "com.fasterxml.jackson.databind";
    static final String PROBE = "com.fasterxml.jackson.databind.ObjectMapper";

    private QkdJson() {
    }

    /** Throws unless Jackson can be used by the key sources' code. */
    static void requireJackson() {
        require(QkdJson.class.getClassLoader(), QkdJson.class.getModule());
    }

    /**
     * @param loader the loader the key sources' classes resolve Jackson through
     * @param self   the key sources' module (unnamed on the class path)
     * @throws IllegalStateException when Jackson is not visible to {@code loader} or, on the module path, not
     *                               resolved or not read by {@code self}
     */
    static void require(ClassLoader loader, Module self) {
        Class<?> mapper;
        try {
            mapper = Class.forName(PROBE, false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            throw missing();
        }
        if (self.isNamed() && !self.canRead(mapper.getModule())) throw missing();
    }

    private static IllegalStateException missing() {
        return new IllegalStateException("QKD needs Jackson (com.fasterxml.jackson.core:jackson-databind), an optional"
                + " dependency of qsp-keysources: add it to the class path, or on the module path add it and"
                + " --add-modules " + MODULE);
    }
}
