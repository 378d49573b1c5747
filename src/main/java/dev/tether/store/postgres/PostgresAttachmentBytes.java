package dev.tether.store.postgres;

import dev.tether.store.jdbc.AttachmentBytes;
import dev.tether.store.jdbc.AttachmentFiles;
import dev.tether.store.jdbc.SqlExecutor;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Attachment bytes in PostgreSQL ({@code attachment_bytes}), so every instance serves every upload.
 * An upload is held in memory up to the upload limit, then written in one statement; the driver
 * reads a {@code bytea} whole, so serving one holds it in memory too (the limit bounds both). Bytes
 * from before this table existed are files in this instance's data dir ({@code legacy}): served
 * from there and moved into the database on their first read.
 */
public final class PostgresAttachmentBytes implements AttachmentBytes {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresAttachmentBytes.class);

    private final SqlExecutor db;
    private final AttachmentFiles legacy;

    public PostgresAttachmentBytes(SqlExecutor db, AttachmentFiles legacy) {
        this.db = db;
        this.legacy = legacy;
    }

    @Override
    public OptionalLong write(String id, InputStream content, long maxBytes) throws IOException {
        ByteArrayOutputStream held = new ByteArrayOutputStream();
        try (InputStream in = content) {
            byte[] buf = new byte[64 * 1024];
            for (int n; (n = in.read(buf)) > 0; ) {
                if (held.size() + (long) n > maxBytes) {
                    return OptionalLong.empty();
                }
                held.write(buf, 0, n);
            }
        }
        byte[] bytes = held.toByteArray();
        db.write(sql -> sql.update("INSERT INTO attachment_bytes (id, data) VALUES (?, ?)", id, bytes));
        return OptionalLong.of(bytes.length);
    }

    @Override
    public InputStream open(String id) throws IOException {
        Optional<byte[]> stored = db.read(sql -> sql.one("SELECT data FROM attachment_bytes WHERE id = ?",
                rs -> rs.getBytes(1), id));
        if (stored.isPresent()) {
            return new ByteArrayInputStream(stored.get());
        }
        if (!legacy.has(id)) {
            throw new NoSuchFileException("attachment " + id);
        }
        byte[] bytes;
        try (InputStream in = legacy.open(id)) {
            bytes = in.readAllBytes();
        }
        db.write(sql -> sql.update("INSERT INTO attachment_bytes (id, data) VALUES (?, ?) ON CONFLICT (id) DO NOTHING",
                id, bytes));
        legacy.delete(id);
        return new ByteArrayInputStream(bytes);
    }

    @Override
    public void delete(String id) {
        try {
            db.write(sql -> sql.update("DELETE FROM attachment_bytes WHERE id = ?", id));
        } catch (RuntimeException e) {
            LOG.warn("could not delete the bytes of attachment {}: {}", id, e.toString());
        }
        legacy.delete(id);
    }
}
