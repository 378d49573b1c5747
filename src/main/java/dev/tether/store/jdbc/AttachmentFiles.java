package dev.tether.store.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.OptionalLong;

/**
 * Attachment bytes as files named by attachment id in one directory: what each store's attachment
 * store keeps beside its database (the database holds the metadata). A file appears whole or not at
 * all: it is written under a temporary name and moved into place.
 */
public final class AttachmentFiles implements AttachmentBytes {
    private final Path dir;

    public AttachmentFiles(Path dir) {
        this.dir = dir;
    }

    /**
     * Streams {@code content} into the file of {@code id}; its size, or empty if it had more than
     * {@code maxBytes} (then no file is left behind).
     */
    @Override
    public OptionalLong write(String id, InputStream content, long maxBytes) throws IOException {
        Files.createDirectories(dir);
        Path temp = Files.createTempFile(dir, "upload-", ".part");
        long size = 0;
        try (InputStream in = content; OutputStream out = Files.newOutputStream(temp)) {
            byte[] buf = new byte[64 * 1024];
            for (int n; (n = in.read(buf)) > 0; ) {
                size += n;
                if (size > maxBytes) {
                    return OptionalLong.empty();
                }
                out.write(buf, 0, n);
            }
        } finally {
            if (size > maxBytes) {
                Files.deleteIfExists(temp);
            }
        }
        Files.move(temp, dir.resolve(id), StandardCopyOption.ATOMIC_MOVE);
        return OptionalLong.of(size);
    }

    @Override
    public InputStream open(String id) throws IOException {
        return Files.newInputStream(dir.resolve(id));
    }

    /** True if {@code id} has a file here. */
    public boolean has(String id) {
        return Files.isRegularFile(dir.resolve(id));
    }

    /** Removes the file of {@code id}, if any; a failure is logged, not thrown (its row is gone already). */
    @Override
    public void delete(String id) {
        try {
            Files.deleteIfExists(dir.resolve(id));
        } catch (IOException e) {
            org.slf4j.LoggerFactory.getLogger(AttachmentFiles.class).warn("could not delete attachment file {}: {}", id, e.toString());
        }
    }
}
