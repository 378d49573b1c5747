package dev.tether.account;

import java.time.Instant;

/** A personal access token's metadata; the secret itself is shown once and stored only hashed. */
public record ApiToken(String id, String userId, String name, Instant createdAt, Instant lastUsedAt,
                       Instant revokedAt) {
    public boolean isRevoked() {
        return revokedAt != null;
    }
}
