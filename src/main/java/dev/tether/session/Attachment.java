package dev.tether.session;

import java.time.Instant;
import java.util.Set;

/**
 * An uploaded file. {@code filename} is for display only; the bytes live under the attachment's
 * id, never under a name a client chose.
 */
public record Attachment(String id, String owner, String sessionId, String filename, String mime, long size,
                         Instant createdAt) {

    /** Image types a browser may show inline; anything else (SVG and HTML included) is a download. */
    public static final Set<String> INLINE_IMAGES = Set.of("image/png", "image/jpeg", "image/gif", "image/webp");

    public boolean isImage() {
        return INLINE_IMAGES.contains(mime);
    }
}
