package dev.tether.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Reads settings from the environment and an optional config file ({@code TETHER_CONFIG}, or
 * {@code tether.conf} in the data dir), using the same {@code TETHER_*} keys in both; the
 * environment wins. Every problem is collected and reported at once.
 */
public final class ConfigLoader {

    private final Map<String, String> env;

    public ConfigLoader(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    public static TetherConfig fromEnvironment() {
        return new ConfigLoader(System.getenv()).load();
    }

    public TetherConfig load() {
        List<String> problems = new ArrayList<>();
        Path dataDir = Path.of(get(env, "TETHER_DATA_DIR")
                .orElse(System.getProperty("user.home") + "/.tether")).toAbsolutePath();
        Map<String, String> settings = new HashMap<>(readFile(dataDir, problems));
        settings.putAll(env);

        String host = settings.getOrDefault("TETHER_HOST", "127.0.0.1").trim();
        if (host.isEmpty()) {
            problems.add("TETHER_HOST must not be empty (default 127.0.0.1)");
        }
        int port = intSetting(settings, "TETHER_PORT", 8787, 0, 65535, problems);
        Optional<TetherConfig.Provider> provider = ProviderSettings.read(settings, problems);
        TetherConfig.Limits limits = new TetherConfig.Limits(
                intSetting(settings, "TETHER_MAX_BODY_BYTES", 1_048_576, 1024, Integer.MAX_VALUE, problems),
                intSetting(settings, "TETHER_MAX_MESSAGE_CHARS", 100_000, 1, Integer.MAX_VALUE, problems),
                intSetting(settings, "TETHER_MAX_UPLOAD_BYTES", 20 * 1_048_576, 1, Integer.MAX_VALUE, problems),
                intSetting(settings, "TETHER_TURNS_PER_MINUTE", 60, 1, 100_000, problems),
                intSetting(settings, "TETHER_UPLOADS_PER_MINUTE", 60, 1, 100_000, problems),
                intSetting(settings, "TETHER_STREAMS_PER_USER", 64, 1, 1_000_000, problems),
                intSetting(settings, "TETHER_MAX_CONNECTIONS", 20_000, 1, 10_000_000, problems),
                intSetting(settings, "TETHER_CONNECTIONS_PER_ADDRESS", 256, 1, 10_000_000, problems),
                Duration.ofMillis(intSetting(settings, "TETHER_HEADER_TIMEOUT_MS", 10_000, 100, 600_000, problems)),
                longSetting(settings, "TETHER_QUOTA_BYTES", 0, 0, Long.MAX_VALUE, problems),
                intSetting(settings, "TETHER_IMPORTS_PER_MINUTE", 10, 1, 100_000, problems),
                Duration.ofMillis(intSetting(settings, "TETHER_SEARCH_TIMEOUT_MS", 2_000, 10, 60_000, problems)),
                intSetting(settings, "TETHER_SEARCHES_AT_ONCE", 2, 1, 1_000, problems));
        TetherConfig.Security security = security(settings, host, problems);
        Duration heartbeat = Duration.ofMillis(
                intSetting(settings, "TETHER_HEARTBEAT_MS", 5000, 100, 10_000, problems));
        Duration demoInterval = Duration.ofMillis(
                intSetting(settings, "TETHER_DEMO_TOKEN_MS", 35, 0, 10_000, problems));
        Optional<DatabaseUrl> database = DatabaseUrl.read(settings, problems);
        // Renewed five times a lease: one lost renewal never costs an instance its turns.
        Duration instanceLease = Duration.ofMillis(
                intSetting(settings, "TETHER_INSTANCE_LEASE_MS", 10_000, 1000, 600_000, problems));
        TetherConfig.Tools tools = tools(settings, problems);
        logSettings(problems);
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new TetherConfig(host, port, dataDir, provider, limits, heartbeat, demoInterval, security, database,
                instanceLease, tools);
    }

    private static TetherConfig.Tools tools(Map<String, String> s, List<String> problems) {
        Optional<Path> file = get(s, "TETHER_MCP_CONFIG").map(f -> Path.of(f.trim()).toAbsolutePath());
        file.filter(f -> !java.nio.file.Files.isReadable(f))
                .ifPresent(f -> problems.add("TETHER_MCP_CONFIG names " + f + ", which is not a readable file"));
        return new TetherConfig.Tools(file, intSetting(s, "TETHER_MAX_TOOL_STEPS", 10, 1, 1000, problems),
                intSetting(s, "TETHER_MAX_TOOL_RESULT_CHARS", 100_000, 1000, 10_000_000, problems));
    }

    /**
     * TETHER_LOG_LEVEL and TETHER_LOG_FORMAT are read from the environment by the logging itself,
     * which starts before this check; here a wrong value stops the start instead of passing silently.
     */
    private void logSettings(List<String> problems) {
        get(env, "TETHER_LOG_LEVEL").map(v -> v.toLowerCase(java.util.Locale.ROOT))
                .filter(v -> !List.of("error", "warn", "info", "debug", "trace").contains(v))
                .ifPresent(v -> problems.add("TETHER_LOG_LEVEL must be error, warn, info, debug or trace (got '" + v + "')"));
        get(env, "TETHER_LOG_FORMAT").map(v -> v.toLowerCase(java.util.Locale.ROOT))
                .filter(v -> !List.of("text", "json").contains(v))
                .ifPresent(v -> problems.add("TETHER_LOG_FORMAT must be text or json (got '" + v + "')"));
    }

    private static TetherConfig.Security security(Map<String, String> s, String host, List<String> problems) {
        String mode = get(s, "TETHER_AUTH").orElse("auto").toLowerCase();
        boolean loopback = Loopback.isLoopback(host);
        boolean required = switch (mode) {
            case "on" -> true;
            case "auto" -> !loopback;
            case "off" -> {
                if (!loopback) {
                    problems.add("TETHER_AUTH=off is only allowed when TETHER_HOST is a loopback address (got " + host + ")");
                }
                yield false;
            }
            default -> {
                problems.add("TETHER_AUTH must be auto, on or off (got '" + mode + "')");
                yield true;
            }
        };
        List<AddressRange> proxies = new ArrayList<>();
        for (String entry : get(s, "TETHER_TRUSTED_PROXIES").map(v -> v.split(",")).orElse(new String[0])) {
            if (entry.isBlank()) {
                continue;
            }
            AddressRange.parse(entry.trim()).ifPresentOrElse(proxies::add, () -> problems.add(
                    "TETHER_TRUSTED_PROXIES takes IP addresses and CIDR ranges like 10.0.0.0/8, not '" + entry.trim() + "'"));
        }
        return new TetherConfig.Security(required, get(s, "TETHER_ADMIN_USER"), get(s, "TETHER_ADMIN_PASSWORD"), proxies);
    }

    private Map<String, String> readFile(Path dataDir, List<String> problems) {
        Optional<String> named = get(env, "TETHER_CONFIG");
        Path file = named.map(Path::of).orElse(dataDir.resolve("tether.conf"));
        if (!Files.exists(file)) {
            if (named.isPresent()) {
                problems.add("TETHER_CONFIG names " + file + ", which does not exist");
            }
            return Map.of();
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        } catch (IOException | IllegalArgumentException e) {
            problems.add("cannot read config file " + file + ": " + e.getMessage());
        }
        Map<String, String> out = new HashMap<>();
        p.forEach((k, v) -> out.put(k.toString().trim(), v.toString().trim()));
        return out;
    }

    static Optional<String> get(Map<String, String> s, String key) {
        return Optional.ofNullable(s.get(key)).map(String::trim).filter(v -> !v.isEmpty());
    }

    static int intSetting(Map<String, String> s, String key, int dflt, int min, int max,
                          List<String> problems) {
        return (int) longSetting(s, key, dflt, min, max, problems);
    }

    static long longSetting(Map<String, String> s, String key, long dflt, long min, long max,
                            List<String> problems) {
        Optional<String> raw = get(s, key);
        if (raw.isEmpty()) {
            return dflt;
        }
        try {
            long v = Long.parseLong(raw.get());
            if (v < min || v > max) {
                problems.add(key + " must be between " + min + " and " + max + " (got " + v + ")");
            }
            return v;
        } catch (NumberFormatException e) {
            problems.add(key + " must be a whole number (got '" + raw.get() + "')");
            return dflt;
        }
    }
}
