package dev.qsp.sockets;

import java.util.Hashtable;
import javax.naming.Context;
import javax.naming.NamingEnumeration;
import javax.naming.directory.DirContext;
import javax.naming.directory.InitialDirContext;
import javax.naming.directory.SearchControls;
import javax.naming.directory.SearchResult;

/**
 * A legacy JNDI program that knows nothing of QSP: it is told the socket factory class name and run with
 * {@code -Ddev.qsp.*} options, on the plain class path, by {@link LdapJndiClasspathTest}.
 * Usage: {@code JndiSearchMain ldap://host:port base filter attribute}.
 */
public final class JndiSearchMain {
    private JndiSearchMain() {}

    public static void main(String[] args) throws Exception {
        Hashtable<String, Object> env = new Hashtable<>();
        env.put(Context.INITIAL_CONTEXT_FACTORY, "com.sun.jndi.ldap.LdapCtxFactory");
        env.put(Context.PROVIDER_URL, args[0]);
        env.put("java.naming.ldap.factory.socket", System.getProperty("socketFactory"));
        env.put("com.sun.jndi.ldap.read.timeout", "20000");
        DirContext ctx = new InitialDirContext(env);
        try {
            SearchControls sc = new SearchControls();
            sc.setSearchScope(SearchControls.SUBTREE_SCOPE);
            NamingEnumeration<SearchResult> r = ctx.search(args[1], args[2], sc);
            while (r.hasMore()) {
                SearchResult e = r.next();
                System.out.println("found " + e.getNameInNamespace() + " " + e.getAttributes().get(args[3]).get());
            }
        } finally {
            ctx.close();
        }
    }
}
