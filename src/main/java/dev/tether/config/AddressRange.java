package dev.tether.config;

import java.net.InetAddress;
import java.util.Optional;

/**
 * An IP address or a CIDR range of them ({@code 10.0.0.0/8}, {@code fd00::/8}), written as literals:
 * a host name is never an address range, because nothing here asks DNS.
 */
public record AddressRange(InetAddress network, int bits) {

    /** {@code text} as a range, or empty if it is not an IP literal with an optional {@code /bits} in range. */
    public static Optional<AddressRange> parse(String text) {
        int slash = text.indexOf('/');
        InetAddress network = literal(slash < 0 ? text : text.substring(0, slash));
        if (network == null) {
            return Optional.empty();
        }
        int max = network.getAddress().length * 8;
        int bits;
        try {
            bits = slash < 0 ? max : Integer.parseInt(text.substring(slash + 1));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        return bits < 0 || bits > max ? Optional.empty() : Optional.of(new AddressRange(network, bits));
    }

    /** Whether {@code address}, an IP literal, lies in this range (a name never does). */
    public boolean contains(String address) {
        InetAddress a = address == null ? null : literal(address);
        if (a == null || a.getAddress().length != network.getAddress().length) {
            return false;
        }
        byte[] x = a.getAddress();
        byte[] n = network.getAddress();
        for (int i = 0; i < bits; i++) {
            int mask = 0x80 >> (i % 8);
            if ((x[i / 8] & mask) != (n[i / 8] & mask)) {
                return false;
            }
        }
        return true;
    }

    /** The address an IP literal names (brackets allowed), or null for anything else. */
    static InetAddress literal(String text) {
        String t = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        if (t.isEmpty() || !t.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == '.' || c == ':')) {
            return null; // a name (or a zone id): never parsed, never resolved
        }
        try {
            return InetAddress.ofLiteral(t);
        } catch (IllegalArgumentException notAnAddress) {
            return null;
        }
    }

    @Override
    public String toString() {
        return network.getHostAddress() + "/" + bits;
    }
}
