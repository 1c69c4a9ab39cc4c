package dev.qsp.keysources.qkd;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URL;
import java.net.URLClassLoader;
import org.junit.jupiter.api.Test;

/** Jackson is optional (README "Use it from Maven"): QKD without it is refused with a message naming it. */
class QkdJsonTest {
    private static final String MESSAGE = "QKD needs Jackson (com.fasterxml.jackson.core:jackson-databind), an optional"
            + " dependency of qsp-keysources: add it to the class path, or on the module path add it and"
            + " --add-modules com.fasterxml.jackson.databind";

    @Test
    void presentInTheTestsRuntime() {
        assertDoesNotThrow(QkdJson::requireJackson);
    }

    @Test
    void aLoaderWithoutJacksonIsRefusedNamingTheArtifact() throws Exception {
        // A loader over nothing but the boot layer (java.base...): what an application built without jackson-databind
        // has. Not the platform loader, which delegates to the application loader's modules.
        try (URLClassLoader bare = new URLClassLoader(new URL[0], null)) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> QkdJson.require(bare, QkdJson.class.getModule()));
            assertEquals(MESSAGE, e.getMessage());
        }
    }

    @Test
    void aNamedModuleNotReadingJacksonIsRefused() {
        // java.base is named and reads no Jackson module: the module-path case of Jackson present but not resolved
        // for the key sources.
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> QkdJson.require(QkdJson.class.getClassLoader(), Object.class.getModule()));
        assertEquals(MESSAGE, e.getMessage());
    }
}
