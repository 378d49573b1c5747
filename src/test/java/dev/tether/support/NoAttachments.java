package dev.tether.support;

import dev.tether.session.Attachment;
import dev.tether.session.AttachmentStore;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/** An attachment store that holds nothing, for tests of the lifecycle without uploads. */
public final class NoAttachments implements AttachmentStore {
    @Override
    public SaveOutcome save(String owner, String sessionId, String filename, String mime, InputStream content,
                            long maxBytes) {
        throw new UnsupportedOperationException("no uploads in this test");
    }

    @Override
    public Optional<Attachment> find(String owner, String attachmentId) {
        return Optional.empty();
    }

    @Override
    public List<Attachment> findAll(String owner, List<String> ids) {
        return List.of();
    }

    @Override
    public InputStream open(Attachment attachment) throws IOException {
        throw new IOException("no such attachment");
    }

    @Override
    public void deleteSession(String owner, String sessionId) {
        // nothing held
    }
}
