package dev.tether.turn;

import java.util.List;
import java.util.function.Predicate;

/**
 * What a provider's error text may not carry to a user: the operator's secrets (the API key, which a
 * provider's 401 may echo back as {@code Bearer sk-...}) never, and the provider's address (often
 * an internal one) only to admins. Applied once, where a provider error becomes the turn's error,
 * so the live card, the stored transcript and every export get the same cleaned text.
 *
 * <p>Threading: immutable; {@code seesAddresses} must be thread-safe.
 */
public record ProviderText(List<String> secrets, List<String> addresses, Predicate<String> seesAddresses) {
    static final String HIDDEN_SECRET = "[API key hidden]";
    static final String HIDDEN_ADDRESS = "the provider";
    /** Nothing to hide (no provider configured). */
    public static final ProviderText NONE = new ProviderText(List.of(), List.of(), owner -> true);

    public ProviderText {
        // Longest first, so that a base URL is replaced whole before its host alone is.
        secrets = secrets.stream().filter(s -> s != null && !s.isEmpty()).toList();
        addresses = addresses.stream().filter(s -> s != null && !s.isEmpty())
                .sorted((a, b) -> b.length() - a.length()).toList();
    }

    /** {@code text} as the user {@code owner} may see it; null stays null. */
    String clean(String text, String owner) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (String secret : secrets) {
            out = out.replace(secret, HIDDEN_SECRET);
        }
        if (!addresses.isEmpty() && !seesAddresses.test(owner)) {
            for (String address : addresses) {
                out = out.replace(address, HIDDEN_ADDRESS);
            }
        }
        return out;
    }
}
