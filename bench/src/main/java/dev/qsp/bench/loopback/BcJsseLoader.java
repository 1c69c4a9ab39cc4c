package dev.qsp.bench.loopback;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import dev.qsp.bench.net.Transport;

/**
 * The BCJSSE stack inside the harness's own JVM, so that it is interleaved with the others round by round: BCJSSE
 * exists only up to 1.84 while the project uses bcprov 1.87, so {@code BcJsseTransport} and everything it uses are
 * loaded by a class loader of their own whose class path is {@code bench/target/classes} plus
 * {@code bench/target/bcjsse-lib/*} (BC 1.84, the same set the JMH suite's BCJSSE JVM runs on) above the platform
 * class loader; the one class it shares with the harness is the {@link Transport} interface, whose methods use JDK
 * types only. No Bouncy Castle class of the project's 1.87 is visible to it, nor the reverse, and no provider is
 * registered globally by either (BCJSSE gets its BC provider instance passed explicitly).
 */
final class BcJsseLoader {
    private BcJsseLoader() {
    }

    static Transport create(Path target) throws Exception {
        Path classes = target.resolve("classes");
        Path lib = target.resolve("bcjsse-lib");
        if (!Files.isDirectory(classes) || !Files.isDirectory(lib)) {
            throw new IOException("BCJSSE needs " + classes + " and " + lib + " (mvn package of the bench module)");
        }
        List<URL> urls = new ArrayList<>();
        urls.add(url(classes));
        try (Stream<Path> jars = Files.list(lib)) {
            for (Path jar : jars.filter(p -> p.toString().endsWith(".jar")).sorted().toList()) {
                urls.add(url(jar));
            }
        }
        ClassLoader bridge = new ClassLoader("bcjsse-bridge", ClassLoader.getPlatformClassLoader()) {
            @Override
            protected Class<?> findClass(String name) throws ClassNotFoundException {
                if (name.equals(Transport.class.getName())) {
                    return Transport.class;
                }
                throw new ClassNotFoundException(name);
            }
        };
        URLClassLoader loader = new URLClassLoader("bcjsse-1.84", urls.toArray(URL[]::new), bridge);
        Class<?> c = Class.forName("dev.qsp.bench.net.BcJsseTransport", true, loader);
        Object bc = Class.forName("org.bouncycastle.jce.provider.BouncyCastleProvider", true, loader)
                .getConstructor().newInstance();
        String bcVersion = ((java.security.Provider) bc).getVersionStr();
        if (c.getClassLoader() != loader) {
            throw new IllegalStateException("BcJsseTransport was not loaded in isolation: " + c.getClassLoader());
        }
        Transport t = (Transport) c.getConstructor().newInstance();
        System.out.println("loopback: BCJSSE loaded in isolation, Bouncy Castle " + bcVersion);
        return t;
    }

    private static URL url(Path p) throws MalformedURLException {
        return p.toUri().toURL();
    }
}
