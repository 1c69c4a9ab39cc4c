package dev.qsp.keysources.qkd;

import java.util.regex.Pattern;

/** Checks on SAE IDs and key IDs (ETSI GS QKD 014 §5: SAE IDs appear in URL paths; key IDs are UUIDs). */
final class SaeIds {
    /** SAE IDs go into URL paths unescaped, so only RFC 3986 unreserved characters (and ':' '@') are allowed. */
    private static final Pattern SAE_ID = Pattern.compile("[A-Za-z0-9._~:@-]{1,255}");
    /** The UUID text form of RFC 4122 §3 (8-4-4-4-12 hex digits, either case). */
    private static final Pattern UUID_TEXT =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    /** Length of a key ID in UUID text form. */
    static final int KEY_ID_LENGTH = 36;

    private SaeIds() {
    }

    static String requireSaeId(String id, String what) {
        if (id == null || !SAE_ID.matcher(id).matches()) {
            throw new IllegalArgumentException(what + " must be 1 to 255 characters from [A-Za-z0-9._~:@-], got "
                    + (id == null ? "null" : "\"" + printable(id) + "\""));
        }
        return id;
    }

    static boolean isSaeId(String id) {
        return id != null && SAE_ID.matcher(id).matches();
    }

    static boolean isKeyId(String id) {
        return id != null && UUID_TEXT.matcher(id).matches();
    }

    /** For messages: printable ASCII only, at most 120 characters. */
    static String printable(String s) {
        return printable(s, 120);
    }

    /** For messages: printable ASCII only, at most {@code max} characters. */
    static String printable(String s, int max) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && b.length() < max; i++) {
            char c = s.charAt(i);
            b.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return s.length() > max ? b + "..." : b.toString();
    }
}
