package dev.tether.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where a PostgreSQL store lives ({@code TETHER_DATABASE_URL}), as the JDBC driver wants it: a
 * {@code jdbc:postgresql://} URL without user or password in it, the user, and the password (from
 * {@code TETHER_DATABASE_PASSWORD}, else the URL's). The password is kept out of everything this
 * shows: {@link #shown()} and {@link #toString()} carry the URL without it, and a URL that cannot be
 * read is named by its scheme only, as it may hold a password.
 */
public record DatabaseUrl(String jdbcUrl, Optional<String> user, Optional<String> password) {
    private static final String JDBC = "jdbc:postgresql://";

    /** The setting, or empty when unset (SQLite in the data dir); a problem is added for a URL of another form. */
    static Optional<DatabaseUrl> read(Map<String, String> settings, List<String> problems) {
        Optional<String> raw = ConfigLoader.get(settings, "TETHER_DATABASE_URL");
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        return parsed(raw.get(), "TETHER_DATABASE_URL", ConfigLoader.get(settings, "TETHER_DATABASE_PASSWORD"), problems);
    }

    /**
     * A URL given on a command line as {@code what} (e.g. {@code migrate --to}), the password from
     * {@code TETHER_DATABASE_PASSWORD} in {@code environment} if set, else the URL's.
     *
     * @throws ConfigException the URL is not a PostgreSQL URL (the message does not repeat it)
     */
    public static DatabaseUrl fromArgument(String url, String what, Map<String, String> environment) {
        List<String> problems = new ArrayList<>();
        return parsed(url.trim(), what, ConfigLoader.get(environment, "TETHER_DATABASE_PASSWORD"), problems)
                .orElseThrow(() -> new ConfigException(problems));
    }

    private static Optional<DatabaseUrl> parsed(String raw, String what, Optional<String> password, List<String> problems) {
        try {
            return Optional.of(parse(raw, password));
        } catch (IllegalArgumentException | URISyntaxException e) {
            String before = raw.contains("://") ? raw.substring(0, raw.indexOf("://")) : "";
            String scheme = before.matches("[A-Za-z][A-Za-z0-9+.:-]*") ? before + "://" : "no scheme";
            problems.add(what + " must be postgresql://USER@HOST:5432/DATABASE (libpq form) or"
                    + " jdbc:postgresql://HOST:5432/DATABASE (got a URL with " + scheme + ": " + reason(e) + ")");
            return Optional.empty();
        }
    }

    private static String reason(Exception e) {
        return e instanceof URISyntaxException ? "not a valid URL" : e.getMessage();
    }

    static DatabaseUrl parse(String url, Optional<String> passwordSetting) throws URISyntaxException {
        boolean jdbc = url.startsWith(JDBC);
        if (!jdbc && !url.startsWith("postgresql://") && !url.startsWith("postgres://")) {
            throw new IllegalArgumentException("another scheme");
        }
        URI uri = new URI(jdbc ? url.substring("jdbc:".length()) : url);
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new IllegalArgumentException("no host");
        }
        String database = uri.getRawPath() == null ? "" : uri.getRawPath().replaceFirst("^/", "");
        if (database.isEmpty() || database.contains("/")) {
            throw new IllegalArgumentException("no database name after the host");
        }
        Optional<String> user = Optional.empty();
        Optional<String> password = Optional.empty();
        if (uri.getRawUserInfo() != null) {
            String[] info = uri.getRawUserInfo().split(":", 2);
            user = Optional.of(decode(info[0])).filter(u -> !u.isEmpty());
            password = info.length == 2 ? Optional.of(decode(info[1])) : Optional.empty();
        }
        List<String> kept = new ArrayList<>();
        if (uri.getRawQuery() != null) {
            for (String param : uri.getRawQuery().split("&")) {
                String name = param.split("=", 2)[0];
                String value = param.contains("=") ? decode(param.split("=", 2)[1]) : "";
                switch (name) {
                    case "user" -> user = Optional.of(value).filter(u -> !u.isEmpty());
                    case "password" -> password = Optional.of(value);
                    case "" -> { }
                    default -> kept.add(param);
                }
            }
        }
        String hostPort = uri.getHost() + ":" + (uri.getPort() == -1 ? 5432 : uri.getPort());
        String jdbcUrl = JDBC + hostPort + "/" + database + (kept.isEmpty() ? "" : "?" + String.join("&", kept));
        return new DatabaseUrl(jdbcUrl, user, passwordSetting.isPresent() ? passwordSetting : password);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    /** The URL without the password, with the user: what the banner and messages name. */
    public String shown() {
        return user.map(u -> jdbcUrl.replace(JDBC, JDBC + u + "@")).orElse(jdbcUrl);
    }

    @Override
    public String toString() {
        return shown() + (password.isPresent() ? " (with a password)" : "");
    }
}
