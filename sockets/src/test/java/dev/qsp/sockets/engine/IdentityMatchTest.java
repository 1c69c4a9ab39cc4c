package dev.qsp.sockets.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qsp.sockets.QspError;
import java.security.cert.X509Certificate;
import org.bouncycastle.asn1.x509.GeneralName;
import org.junit.jupiter.api.Test;

/** Expected-identity matching (SPEC.md §4.7): host names against dNSName/CN, IP literals only against iPAddress SANs. */
class IdentityMatchTest {
    private static final TestPki PKI;

    static {
        try {
            PKI = new TestPki("Identity CA", "identity-match");
        } catch (Exception e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @Test
    void ipLiteralMatchesAnIpAddressSan() throws Exception {
        X509Certificate c = PKI.leaf("server", new GeneralName(GeneralName.dNSName, "server.qsp.test"),
                new GeneralName(GeneralName.iPAddress, "192.0.2.7"), new GeneralName(GeneralName.iPAddress, "2001:db8::7"));
        assertTrue(PeerAuthenticator.matchesIdentity(c, "192.0.2.7"));
        assertTrue(PeerAuthenticator.matchesIdentity(c, "2001:db8::7"));
        assertTrue(PeerAuthenticator.matchesIdentity(c, "2001:0DB8:0:0:0:0:0:7"), "the same address in another spelling");
        assertTrue(PeerAuthenticator.matchesIdentity(c, "[2001:db8::7]"));
        assertTrue(PeerAuthenticator.matchesIdentity(c, "server.qsp.test"));
        assertFalse(PeerAuthenticator.matchesIdentity(c, "192.0.2.8"));
        assertFalse(PeerAuthenticator.matchesIdentity(c, "2001:db8::8"));
    }

    @Test
    void ipLiteralNeverFallsBackToTheCommonNameOrADnsName() throws Exception {
        X509Certificate cnOnly = PKI.leaf("127.0.0.1");
        assertFalse(PeerAuthenticator.matchesIdentity(cnOnly, "127.0.0.1"), "RFC 9525: no CN fallback for IP addresses");
        X509Certificate dnsSpelledIp = PKI.leaf("x", new GeneralName(GeneralName.dNSName, "127.0.0.1"));
        assertFalse(PeerAuthenticator.matchesIdentity(dnsSpelledIp, "127.0.0.1"), "a dNSName is not an address");
        X509Certificate ipv4Mapped = PKI.leaf("x", new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
        assertFalse(PeerAuthenticator.matchesIdentity(ipv4Mapped, "::ffff:127.0.0.1"), "IPv4 and IPv6 octets differ");
    }

    @Test
    void hostNamesKeepTheirRules() throws Exception {
        X509Certificate withSan = PKI.leaf("cn.qsp.test", new GeneralName(GeneralName.dNSName, "San.Qsp.Test"));
        assertTrue(PeerAuthenticator.matchesIdentity(withSan, "san.qsp.test"));
        assertFalse(PeerAuthenticator.matchesIdentity(withSan, "cn.qsp.test"), "with dNSName SANs the CN is not used");
        X509Certificate ipSanOnly = PKI.leaf("cn.qsp.test", new GeneralName(GeneralName.iPAddress, "192.0.2.7"));
        assertTrue(PeerAuthenticator.matchesIdentity(ipSanOnly, "cn.qsp.test"), "no dNSName SAN: the CN");
        assertEquals("cn.qsp.test", PeerAuthenticator.identityOf(ipSanOnly));
    }

    /** Two CNs: no telling which the issuer meant as the host name, so neither matches (SPEC.md §4.7). */
    @Test
    void subjectWithTwoCommonNamesMatchesNoHostName() throws Exception {
        X509Certificate twoCns = PKI.leaf("wide.qsp.test,CN=host.qsp.test");
        assertEquals(2, new javax.naming.ldap.LdapName(twoCns.getSubjectX500Principal().getName()).getRdns().stream()
                .filter(r -> r.getType().equalsIgnoreCase("CN")).count(), "the fixture has two CNs");
        assertFalse(PeerAuthenticator.matchesIdentity(twoCns, "host.qsp.test"));
        assertFalse(PeerAuthenticator.matchesIdentity(twoCns, "wide.qsp.test"));
        X509Certificate multiValued = PKI.leaf("wide.qsp.test+CN=host.qsp.test");
        assertFalse(PeerAuthenticator.matchesIdentity(multiValued, "host.qsp.test"), "two CNs in one RDN");
        assertFalse(PeerAuthenticator.matchesIdentity(multiValued, "wide.qsp.test"));
        X509Certificate oneCn = PKI.leaf("host.qsp.test");
        assertTrue(PeerAuthenticator.matchesIdentity(oneCn, "host.qsp.test"), "a single CN still matches");
    }

    @Test
    void ipLiteralRecognition() {
        assertEquals(4, PeerAuthenticator.ipLiteral("10.0.0.1").length);
        assertEquals(16, PeerAuthenticator.ipLiteral("::1").length);
        assertNull(PeerAuthenticator.ipLiteral("localhost"));
        assertNull(PeerAuthenticator.ipLiteral("1234"), "not a dotted quad");
        assertNull(PeerAuthenticator.ipLiteral("300.1.1.1"));
        assertNull(PeerAuthenticator.ipLiteral("10.0.0.0/8"));
    }

    @Test
    void handshakeToAnIpAddress() throws Exception {
        TestPki pki = Fixtures.pki();
        var server = Fixtures.server().identity(pki.identity("server", new GeneralName(GeneralName.iPAddress, "127.0.0.1")));
        EnginePair ok = Fixtures.established(Fixtures.client().expectedPeerIdentity("127.0.0.1"), server, "ip-ok");
        assertEquals("server", ok.client.session().peerIdentity());

        var cnOnly = Fixtures.server().identity(pki.identity("127.0.0.1"));
        EnginePair bad = new EnginePair(Fixtures.client().expectedPeerIdentity("127.0.0.1").build(), cnOnly.build(), "ip-cn")
                .handshake();
        assertEquals(QspError.UNKNOWN_IDENTITY, bad.clientError.error());
    }
}
