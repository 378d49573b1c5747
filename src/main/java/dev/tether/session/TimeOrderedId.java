package dev.tether.session;

import java.security.SecureRandom;
import java.util.UUID;

/**
 * Ids for sessions, turns and queued messages: UUID version 7 (RFC 9562), the creation time in
 * milliseconds followed by 74 random bits, so ids created later sort later (why a store wants that:
 * docs/architecture.md, Storage). Ids stay unguessable; ownership is checked on every access
 * regardless.
 */
public final class TimeOrderedId {
    private static final SecureRandom RANDOM = new SecureRandom();

    private TimeOrderedId() {}

    public static String next() {
        return next(System.currentTimeMillis());
    }

    static String next(long epochMillis) {
        byte[] random = new byte[10];
        RANDOM.nextBytes(random);
        long high = (epochMillis & 0xFFFF_FFFF_FFFFL) << 16 | 0x7000L | (random[0] & 0x0FL) << 8 | (random[1] & 0xFFL);
        long low = 0x8000_0000_0000_0000L | (random[2] & 0x3FL) << 56;
        for (int i = 3; i < 10; i++) {
            low |= (random[i] & 0xFFL) << (8 * (9 - i));
        }
        return new UUID(high, low).toString();
    }
}
