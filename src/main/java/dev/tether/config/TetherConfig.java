package dev.tether.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Everything the server is told at start. Built and validated once by {@link ConfigLoader}; a
 * value that is wrong fails the start with a clear message, never a later request.
 */
public record TetherConfig(
        String host,
        int port,
        Path dataDir,
        Optional<Provider> provider,
        Limits limits,
        Duration heartbeat,
        Duration demoTokenInterval,
        Security security,
        Optional<DatabaseUrl> database,
        Duration instanceLease,
        Tools tools) {

    /**
     * MCP tools: {@code mcpConfig} is the servers' JSON file ({@code TETHER_MCP_CONFIG}), {@code maxSteps}
     * the model-tool round trips one turn may take, {@code maxResultChars} how much of one tool result
     * the model reads.
     */
    public record Tools(Optional<Path> mcpConfig, int maxSteps, int maxResultChars) {}

    /**
     * An OpenAI-compatible endpoint. An empty model list means: ask {@code GET {base}/models}.
     * {@code proxy} is the HTTP proxy to reach it through, already chosen for this base URL.
     */
    public record Provider(
            String baseUrl,
            Optional<String> apiKey,
            List<String> models,
            Duration connectTimeout,
            Duration firstTokenTimeout,
            Duration idleTimeout,
            Optional<Proxy> proxy) {
        public Provider {
            models = List.copyOf(models);
        }

        /** A provider reached directly. */
        public Provider(String baseUrl, Optional<String> apiKey, List<String> models, Duration connectTimeout,
                        Duration firstTokenTimeout, Duration idleTimeout) {
            this(baseUrl, apiKey, models, connectTimeout, firstTokenTimeout, idleTimeout, Optional.empty());
        }

        @Override
        public String toString() {
            return "Provider[" + baseUrl + (apiKey.isPresent() ? ", with an API key" : "") + ", models " + models
                    + proxy.map(p -> ", via " + p).orElse("") + "]";
        }
    }

    /**
     * An HTTP proxy: {@code CONNECT} tunnels to https providers, absolute-form requests to http
     * ones. {@code authorization} is the whole {@code Proxy-Authorization} value ({@code Basic ...})
     * when the proxy URL carried credentials; {@link #toString} never shows it.
     */
    public record Proxy(String host, int port, Optional<String> authorization) {
        @Override
        public String toString() {
            return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port
                    + (authorization.isPresent() ? " (with credentials)" : "");
        }
    }

    /**
     * Limits on input and use; each refusal is a 413, a 429 with Retry-After, or (the quota) a 507.
     * {@code quotaBytes} 0 means no quota; {@code searchesAtOnce} bounds the searches running in
     * all, each user having one at a time, so searches never hold every reader connection.
     */
    public record Limits(long maxBodyBytes, int maxMessageChars, long maxUploadBytes, int turnsPerMinute,
                         int uploadsPerMinute, int streamsPerUser, int maxConnections, int connectionsPerAddress,
                         Duration headerTimeout, long quotaBytes, int importsPerMinute, Duration searchTimeout,
                         int searchesAtOnce) {}

    /**
     * Who may get in. {@code loginRequired} is on when the server listens beyond loopback or
     * {@code TETHER_AUTH=on}; {@code trustedProxies} are the only peers whose X-Forwarded-Proto and
     * X-Forwarded-For count.
     */
    public record Security(boolean loginRequired, Optional<String> adminName, Optional<String> adminPassword,
                           List<AddressRange> trustedProxies) {
        public Security {
            trustedProxies = List.copyOf(trustedProxies);
        }

        /** Whether {@code address} (an IP literal) is a proxy whose forwarded headers are believed. */
        public boolean isTrustedProxy(String address) {
            return trustedProxies.stream().anyMatch(r -> r.contains(address));
        }
    }

    /** The SQLite file in the data dir; used only when {@link #database()} is empty. */
    public Path databaseFile() {
        return dataDir.resolve("tether.db");
    }

    public Path attachmentDir() {
        return dataDir.resolve("attachments");
    }

    public TetherConfig withPort(int newPort) {
        return new TetherConfig(host, newPort, dataDir, provider, limits, heartbeat, demoTokenInterval, security, database,
                instanceLease, tools);
    }
}
