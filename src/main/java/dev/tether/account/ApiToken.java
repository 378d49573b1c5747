package dev.tether.account;

import java.time.Instant;

/**
 * A personal access token's metadata; the secret itself is shown once and stored only hashed.
 * {@code expiresAt} null: it never expires. {@code readOnly}: it may not change anything.
 */
public record ApiToken(String id, String userId, String name, Instant createdAt, Instant lastUsedAt,
                       Instant revokedAt, Instant expiresAt, boolean readOnly) {
    public boolean isRevoked() {
        return revokedAt != null;
    }
}
