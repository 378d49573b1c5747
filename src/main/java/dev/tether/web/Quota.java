package dev.tether.web;

import dev.tether.session.SessionReads;
import java.util.Map;

/**
 * The per-user storage quota ({@code TETHER_QUOTA_BYTES}): what a user's messages and attachments
 * take, checked before a send, an upload or an import adds to it. The check and the write are not
 * one transaction, so requests of one user that run together may each pass and overshoot the quota
 * by what they add; and a reply is never cut short for it (the next send is refused instead).
 */
public final class Quota {
    private final SessionReads store;
    private final long limit;

    /** {@code limit} 0: no quota. */
    public Quota(SessionReads store, long limit) {
        this.store = store;
        this.limit = limit;
    }

    /** Throws 507 {@code quota_exceeded} when {@code adding} more bytes would take {@code owner} over the quota. */
    public void check(String owner, long adding) {
        if (limit == 0) {
            return;
        }
        long used = store.storedBytes(owner);
        if (used + adding > limit) {
            throw new ApiError(507, "quota_exceeded", "Your storage is full (" + used + " of " + limit
                    + " bytes used); delete conversations or attachments to make room.",
                    Map.of("used_bytes", used, "quota_bytes", limit));
        }
    }
}
