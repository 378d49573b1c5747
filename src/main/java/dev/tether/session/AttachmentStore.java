package dev.tether.session;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/** Port: attachment bytes and their metadata, scoped by owner. */
public interface AttachmentStore {

    /** What saving did. */
    sealed interface SaveOutcome {
        record Saved(Attachment attachment) implements SaveOutcome {}

        record TooLarge(long limit) implements SaveOutcome {}
    }

    /** Streams {@code content} to storage, refusing more than {@code maxBytes}. */
    SaveOutcome save(String owner, String sessionId, String filename, String mime, InputStream content, long maxBytes)
            throws IOException;

    Optional<Attachment> find(String owner, String attachmentId);

    /** The caller's attachments among {@code ids}, in the order of {@code ids}; unknown ids are left out. */
    List<Attachment> findAll(String owner, List<String> ids);

    InputStream open(Attachment attachment) throws IOException;

    /**
     * Forgets the attachments of a deleted session: their rows at once, then (after that commit) their
     * files, so no row ever names a missing file (a crash in between leaves only an unreachable file).
     */
    void deleteSession(String owner, String sessionId);
}
