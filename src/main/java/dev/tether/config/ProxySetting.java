package dev.tether.config;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Which HTTP proxy, if any, carries the requests to the provider, chosen once at start.
 *
 * <p>{@code TETHER_OPENAI_PROXY} wins: a proxy URL, or {@code direct} for none; it applies to any
 * provider, loopback included, and ignores {@code NO_PROXY}. Otherwise the conventional variables:
 * {@code https_proxy}/{@code HTTPS_PROXY} for an https provider, {@code http_proxy}/{@code
 * HTTP_PROXY} for an http one (lower case first, as curl and Python read them), unless {@code
 * no_proxy}/{@code NO_PROXY} names the provider or the provider is on loopback (no proxy can reach
 * this machine's loopback, and a local Ollama should not go through a company proxy).
 *
 * <p>A proxy URL is {@code http://[user:password@]host[:port]} (port 80 by default; the scheme may
 * be left out). A bad one stops the start; the message names the variable, never its value, which
 * may hold a password.
 */
final class ProxySetting {

    static final String DIRECT = "direct";

    private ProxySetting() {}

    static Optional<TetherConfig.Proxy> forProvider(URI provider, Map<String, String> s, List<String> problems) {
        Optional<String> own = ConfigLoader.get(s, "TETHER_OPENAI_PROXY");
        if (own.isPresent()) {
            return own.get().equalsIgnoreCase(DIRECT) ? Optional.empty() : parse("TETHER_OPENAI_PROXY", own.get(), problems);
        }
        boolean https = provider.getScheme().equalsIgnoreCase("https");
        String lower = https ? "https_proxy" : "http_proxy";
        String name = ConfigLoader.get(s, lower).isPresent() ? lower : lower.toUpperCase(Locale.ROOT);
        Optional<String> value = ConfigLoader.get(s, name);
        if (value.isEmpty() || isLoopback(provider.getHost())) {
            return Optional.empty();
        }
        String noProxy = ConfigLoader.get(s, "no_proxy").or(() -> ConfigLoader.get(s, "NO_PROXY")).orElse("");
        int port = provider.getPort() >= 0 ? provider.getPort() : https ? 443 : 80;
        return bypasses(noProxy, provider.getHost(), port) ? Optional.empty() : parse(name, value.get(), problems);
    }

    /**
     * Whether a {@code NO_PROXY} list names this host: {@code *}; a domain, which covers its
     * subdomains (a leading {@code .} or {@code *.} changes nothing); an IP address or a CIDR
     * range, for a provider given by address (names are not resolved). An entry may add
     * {@code :port}.
     */
    static boolean bypasses(String noProxy, String host, int port) {
        String h = unbracket(host.toLowerCase(Locale.ROOT));
        for (String raw : noProxy.toLowerCase(Locale.ROOT).split("[,\\s]+")) {
            String entry = raw.strip();
            if (entry.equals("*")) {
                return true;
            }
            int colon = entry.lastIndexOf(':');
            boolean hasPort = colon > 0 && entry.indexOf(':') == colon || entry.startsWith("[") && entry.contains("]:");
            if (hasPort) {
                if (!entry.substring(colon + 1).equals(Integer.toString(port))) {
                    continue;
                }
                entry = entry.substring(0, colon);
            }
            entry = unbracket(entry.startsWith("*.") ? entry.substring(2) : entry.startsWith(".") ? entry.substring(1) : entry);
            if (!entry.isEmpty() && (h.equals(entry) || h.endsWith("." + entry) || inRange(h, entry))) {
                return true;
            }
        }
        return false;
    }

    static Optional<TetherConfig.Proxy> parse(String name, String value, List<String> problems) {
        String url = value.contains("://") ? value : "http://" + value;
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            problems.add(name + " is not a valid proxy URL (" + e.getReason() + " at character " + e.getIndex() + ")");
            return Optional.empty();
        }
        if (!"http".equalsIgnoreCase(uri.getScheme())) {
            problems.add(name + " must be an http:// proxy URL (got a " + uri.getScheme()
                    + ":// one; https and SOCKS proxies are not supported)");
            return Optional.empty();
        }
        if (uri.getHost() == null) {
            problems.add(name + " must be a proxy URL with a host, like http://proxy.example.com:3128");
            return Optional.empty();
        }
        String path = uri.getRawPath();
        if (path != null && !path.isEmpty() && !path.equals("/") || uri.getRawQuery() != null) {
            problems.add(name + " must be a proxy URL without a path or query, like http://proxy.example.com:3128");
            return Optional.empty();
        }
        Optional<String> authorization = Optional.ofNullable(uri.getRawUserInfo()).map(ProxySetting::basic);
        return Optional.of(new TetherConfig.Proxy(unbracket(uri.getHost()), uri.getPort() >= 0 ? uri.getPort() : 80,
                authorization));
    }

    /** {@code Basic} credentials from a URL's {@code user:password} (percent-decoded, as URLs encode them). */
    private static String basic(String rawUserInfo) {
        String decoded = URLDecoder.decode(rawUserInfo.replace("+", "%2B"), StandardCharsets.UTF_8);
        return "Basic " + Base64.getEncoder().encodeToString(decoded.getBytes(StandardCharsets.UTF_8));
    }

    private static boolean isLoopback(String host) {
        String h = unbracket(host.toLowerCase(Locale.ROOT));
        if (h.equals("localhost") || h.endsWith(".localhost")) {
            return true;
        }
        InetAddress address = literal(h);
        return address != null && address.isLoopbackAddress();
    }

    /** Whether {@code host}, an IP address, is {@code entry} or inside {@code entry}'s CIDR range. */
    private static boolean inRange(String host, String entry) {
        return AddressRange.parse(entry).map(r -> r.contains(host)).orElse(false);
    }

    /** The address an IP literal names, or null for a host name (which is never looked up). */
    private static InetAddress literal(String text) {
        try {
            return InetAddress.ofLiteral(text);
        } catch (IllegalArgumentException notAnAddress) {
            return null;
        }
    }

    private static String unbracket(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }
}
