package dev.tether.config;

import java.net.InetAddress;

/**
 * What counts as "this machine only": the name {@code localhost} and the loopback addresses
 * (IPv4 127.0.0.0/8, IPv6 {@code ::1}, and 127/8 written as an IPv4-mapped IPv6 address).
 * One definition for both places that ask: the bind address decides whether login is required,
 * and the {@code Host} header of a request to a server without login decides whether it is
 * answered at all (a DNS-rebinding page names another host).
 *
 * <p>A name other than {@code localhost} is never loopback, whatever it resolves to: nothing here
 * asks DNS, whose answer an attacker may control. Unspecified addresses ({@code 0.0.0.0},
 * {@code ::}) listen everywhere and are not loopback.
 */
public final class Loopback {
    private Loopback() {}

    /** {@code host}: a name or an IP literal, IPv6 with or without brackets, without a port. */
    public static boolean isLoopback(String host) {
        if (host == null || host.isEmpty()) {
            return false;
        }
        if (host.equalsIgnoreCase("localhost")) {
            return true;
        }
        String literal = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (!isAddressShaped(literal)) {
            return false; // a name, or a literal with a zone id: never parsed as an address
        }
        try {
            // A literal is parsed, never resolved; an IPv4-mapped IPv6 literal becomes its IPv4 address.
            return InetAddress.ofLiteral(literal).isLoopbackAddress();
        } catch (IllegalArgumentException notALiteral) {
            return false;
        }
    }

    /** The host part of an HTTP {@code Host} header ({@code host[:port]}, {@code [v6][:port]}) is loopback. */
    public static boolean isLoopbackAuthority(String authority) {
        if (authority == null) {
            return false;
        }
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            return close > 0 && isPortSuffix(authority, close + 1) && isLoopback(authority.substring(0, close + 1));
        }
        int colon = authority.indexOf(':');
        if (colon < 0) {
            return isLoopback(authority);
        }
        return isPortSuffix(authority, colon) && isLoopback(authority.substring(0, colon));
    }

    /** Only hex digits, dots and colons: something {@link InetAddress#ofLiteral} may parse, never a name. */
    private static boolean isAddressShaped(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' || c == ':' || c == '.')) {
                return false;
            }
        }
        return true;
    }

    /** Nothing, or {@code :digits}, from {@code from} to the end. */
    private static boolean isPortSuffix(String s, int from) {
        if (from == s.length()) {
            return true;
        }
        if (s.charAt(from) != ':' || from + 1 == s.length()) {
            return false;
        }
        for (int i = from + 1; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }
}
