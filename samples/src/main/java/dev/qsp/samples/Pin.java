package dev.qsp.samples;

import dev.qsp.sockets.QspTrust;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ./qsp pin CERT|P12}: prints the pin of a certificate in the format {@code dev.qsp.pinnedKey} takes
 * (SPEC.md §6: SHA-256 of the SubjectPublicKeyInfo), {@code sha256:} and 64 lowercase hex digits, alone on standard
 * output so that {@code -Ddev.qsp.pinnedKey=$(./qsp pin server.cer)} works; what was pinned (subject, alias) goes
 * to standard error. CERT is an X.509 certificate, PEM or DER (of a PEM bundle, the first: the leaf); P12 is a
 * PKCS#12 store, read with {@code --password}, whose only certificate entry (or {@code --alias}) is pinned.
 */
@Command(name = "qsp pin", description = "Prints the dev.qsp.pinnedKey pin (SHA-256 of the SubjectPublicKeyInfo) "
        + "of a certificate (PEM or DER) or of a PKCS#12 store's certificate.")
public final class Pin implements Callable<Integer> {
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Print this help and exit.")
    boolean help;
    @Parameters(index = "0", paramLabel = "CERT|P12", description = "Certificate file or PKCS#12 store.")
    Path file;
    @Option(names = "--password", paramLabel = "PASSWORD", arity = "0..1", interactive = true,
            description = "Password of the PKCS#12 store (without a value: asked for).")
    char[] password;
    @Option(names = "--alias", paramLabel = "ALIAS", description = "Entry of the PKCS#12 store to pin.")
    String alias;

    @Spec
    CommandSpec spec;

    private final PrintStream out;
    private final PrintStream err;

    private Pin(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /**
     * Runs the program and exits with its status (0 when it worked; 2 for a bad option).
     *
     * @param args the command line ({@code --help})
     */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Parses {@code args} and prints the pin; returns the exit status (1 unreadable, 2 bad usage). */
    static int run(String[] args, PrintStream out, PrintStream err) {
        return Cli.commandLine(new Pin(out, err), out, err).execute(args);
    }

    /** The pin in {@code dev.qsp.pinnedKey} format. */
    static String format(X509Certificate cert) {
        return "sha256:" + HexFormat.of().formatHex(QspTrust.spkiSha256(cert));
    }

    @Override
    public Integer call() throws Exception {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file + ": no such file");
        }
        X509Certificate cert;
        String what;
        Collection<? extends Certificate> certs = certificates(bytes);
        if (!certs.isEmpty()) {
            if (alias != null) throw new ParameterException(spec.commandLine(), "--alias is for PKCS#12 stores; " + file + " is a certificate");
            cert = (X509Certificate) certs.iterator().next();
            what = file.toString();
        } else {
            if (password == null) {
                throw new ParameterException(spec.commandLine(), file + " is not a certificate; as a PKCS#12 store it "
                        + "needs --password");
            }
            KeyStore ks = KeyStore.getInstance("PKCS12");
            try {
                ks.load(new ByteArrayInputStream(bytes), password);
            } catch (IOException e) {
                throw new IOException(file + " is neither an X.509 certificate nor a PKCS#12 store it can open with "
                        + "that password (" + Cli.message(e) + ")", e);
            }
            String chosen = alias != null ? alias : onlyCertificateEntry(ks);
            Certificate c = ks.getCertificate(chosen);
            if (!(c instanceof X509Certificate x)) {
                throw new ParameterException(spec.commandLine(), file + " has no certificate under alias '" + chosen
                        + "' (aliases: " + String.join(", ", Collections.list(ks.aliases())) + ")");
            }
            cert = x;
            what = file + " alias " + chosen;
        }
        err.println("qsp pin: " + cert.getSubjectX500Principal().getName() + " (" + what + ")");
        out.println(format(cert));
        return 0;
    }

    private static Collection<? extends Certificate> certificates(byte[] bytes) {
        try {
            return CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(bytes));
        } catch (CertificateException e) {
            return List.of(); // not a certificate: maybe a PKCS#12 store
        }
    }

    private String onlyCertificateEntry(KeyStore ks) throws KeyStoreException {
        List<String> withCert = new ArrayList<>();
        for (String a : Collections.list(ks.aliases())) {
            if (ks.getCertificate(a) != null) withCert.add(a);
        }
        if (withCert.size() == 1) return withCert.getFirst();
        throw new ParameterException(spec.commandLine(), file + " has " + withCert.size() + " certificate entries"
                + (withCert.isEmpty() ? "" : " (" + String.join(", ", withCert) + "): choose one with --alias"));
    }
}
