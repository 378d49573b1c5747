package dev.tether.store.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.util.OptionalLong;

/** Where attachment bytes live, by attachment id: files beside the database, or the database itself. */
public interface AttachmentBytes {

    /**
     * Streams {@code content} into the bytes of {@code id}; their size, or empty if there were more
     * than {@code maxBytes} (then nothing is kept).
     */
    OptionalLong write(String id, InputStream content, long maxBytes) throws IOException;

    InputStream open(String id) throws IOException;

    /** Removes the bytes of {@code id}, if any; a failure is logged, not thrown (its row is gone already). */
    void delete(String id);
}
