package dev.tether.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code TETHER_OPENAI_*} settings, checked at start. Whatever reaches a request head (the
 * API key, the base URL's host and path) must not be able to end a header line or start another,
 * so a CR, LF or other control character stops the start with a message that names the setting
 * and the position, never the value: it may be a secret.
 */
final class ProviderSettings {

    private ProviderSettings() {}

    static Optional<TetherConfig.Provider> read(Map<String, String> s, List<String> problems) {
        Optional<String> base = ConfigLoader.get(s, "TETHER_OPENAI_BASE_URL");
        if (base.isEmpty()) {
            return Optional.empty();
        }
        String url = base.get().replaceAll("/+$", "");
        URI uri = baseUri(url, problems);
        Optional<String> key = ConfigLoader.get(s, "TETHER_OPENAI_API_KEY");
        key.flatMap(ProviderSettings::notATokenCharacter).ifPresent(what -> problems.add(
                "TETHER_OPENAI_API_KEY has " + what + "; an API key is one line of printable ASCII without spaces"));
        List<String> models = ConfigLoader.get(s, "TETHER_OPENAI_MODELS")
                .map(v -> Arrays.stream(v.split(",")).map(String::trim).filter(m -> !m.isEmpty()).toList())
                .orElse(List.of());
        for (int i = 0; i < models.size(); i++) {
            int index = i + 1;
            controlCharacter(models.get(i)).ifPresent(what -> problems.add(
                    "TETHER_OPENAI_MODELS: model id " + index + " has " + what));
        }
        Optional<TetherConfig.Proxy> proxy = uri == null ? Optional.empty() : ProxySetting.forProvider(uri, s, problems);
        return Optional.of(new TetherConfig.Provider(url, key, models,
                Duration.ofMillis(ConfigLoader.intSetting(s, "TETHER_OPENAI_CONNECT_TIMEOUT_MS", 10_000, 1, 600_000, problems)),
                Duration.ofMillis(ConfigLoader.intSetting(s, "TETHER_OPENAI_FIRST_TOKEN_TIMEOUT_MS", 120_000, 1, 3_600_000, problems)),
                Duration.ofMillis(ConfigLoader.intSetting(s, "TETHER_OPENAI_IDLE_TIMEOUT_MS", 120_000, 1, 3_600_000, problems)),
                proxy));
    }

    /**
     * The base URL, or null after adding the problem. The URL is echoed only when it is well formed
     * and carries no credentials.
     */
    private static URI baseUri(String url, List<String> problems) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            problems.add("TETHER_OPENAI_BASE_URL is not a valid URL (" + e.getReason() + " at character "
                    + (e.getIndex() + 1) + ")");
            return null;
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (uri.getRawUserInfo() != null) {
            problems.add("TETHER_OPENAI_BASE_URL must not carry credentials (user:password@); "
                    + "put the key in TETHER_OPENAI_API_KEY");
        } else if (!scheme.equals("http") && !scheme.equals("https")) {
            problems.add("TETHER_OPENAI_BASE_URL must start with http:// or https:// (got '" + url + "')");
        } else if (uri.getHost() == null) {
            problems.add("TETHER_OPENAI_BASE_URL must name a host, like http://127.0.0.1:11434/v1 (got '" + url + "')");
        } else {
            return uri;
        }
        return null;
    }

    /** The first character that cannot be in a bearer token sent as a header value, described. */
    private static Optional<String> notATokenCharacter(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c <= ' ' || c >= 0x7f) {
                return Optional.of(describe(c) + " at character " + (i + 1));
            }
        }
        return Optional.empty();
    }

    private static Optional<String> controlCharacter(String value) {
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                return Optional.of(describe(value.charAt(i)) + " at character " + (i + 1));
            }
        }
        return Optional.empty();
    }

    private static String describe(char c) {
        return switch (c) {
            case '\r' -> "a line break (CR)";
            case '\n' -> "a line break (LF)";
            case '\t' -> "a tab";
            case ' ' -> "a space";
            default -> c < 0x20 || c >= 0x7f && c < 0xa0
                    ? String.format("a control character (U+%04X)", (int) c) : "a character outside ASCII";
        };
    }
}
