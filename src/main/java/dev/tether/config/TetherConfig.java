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
        JournalMode journal) {

    /** An OpenAI-compatible endpoint. An empty model list means: ask {@code GET {base}/models}. */
    public record Provider(
            String baseUrl,
            Optional<String> apiKey,
            List<String> models,
            Duration connectTimeout,
            Duration firstTokenTimeout,
            Duration idleTimeout) {
        public Provider {
            models = List.copyOf(models);
        }
    }

    /** Size limits enforced on input; each refusal is a 413 with a clear message. */
    public record Limits(long maxBodyBytes, int maxMessageChars, long maxUploadBytes) {}

    public Path databaseFile() {
        return dataDir.resolve("tether.db");
    }

    public Path attachmentDir() {
        return dataDir.resolve("attachments");
    }

    public TetherConfig withPort(int newPort) {
        return new TetherConfig(host, newPort, dataDir, provider, limits, heartbeat, demoTokenInterval, journal);
    }
}
