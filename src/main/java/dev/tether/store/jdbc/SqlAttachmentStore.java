package dev.tether.store.jdbc;

import dev.tether.session.Attachment;
import dev.tether.session.AttachmentStore;
import dev.tether.store.jdbc.Sql.Mapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * Attachment metadata in the store's database; the bytes where {@link AttachmentBytes} keeps them
 * (files named by id under the data dir, or, on PostgreSQL, the database).
 */
public final class SqlAttachmentStore implements AttachmentStore {
    private final SqlExecutor db;
    private final AttachmentBytes files;
    private final Mapper<Attachment> attachment;

    /** Bytes as files in {@code dir}. */
    public SqlAttachmentStore(SqlExecutor db, Path dir) {
        this(db, new AttachmentFiles(dir));
    }

    public SqlAttachmentStore(SqlExecutor db, AttachmentBytes bytes) {
        this.db = db;
        this.files = bytes;
        Rows rows = new Rows(db.columns());
        this.attachment = rs -> new Attachment(rs.getString("id"), rs.getString("owner"), rs.getString("session_id"),
                rs.getString("filename"), rs.getString("mime"), rs.getLong("size"), rows.instant(rs, "created_at"));
    }

    @Override
    public SaveOutcome save(String owner, String sessionId, String filename, String mime, InputStream content,
                            long maxBytes) throws IOException {
        String id = UUID.randomUUID().toString();
        OptionalLong size = files.write(id, content, maxBytes);
        if (size.isEmpty()) {
            return new SaveOutcome.TooLarge(maxBytes);
        }
        Attachment a = new Attachment(id, owner, sessionId, filename, mime, size.getAsLong(), Instant.now());
        db.write(sql -> sql.update("INSERT INTO attachments (id, owner, session_id, filename, mime, size, created_at)"
                + " VALUES (?,?,?,?,?,?,?)", a.id(), a.owner(), a.sessionId(), a.filename(), a.mime(), a.size(), a.createdAt()));
        return new SaveOutcome.Saved(a);
    }

    @Override
    public Optional<Attachment> find(String owner, String attachmentId) {
        return db.read(sql -> sql.one("SELECT * FROM attachments WHERE id = ? AND owner = ?",
                attachment, attachmentId, owner));
    }

    @Override
    public List<Attachment> findAll(String owner, List<String> ids) {
        List<Attachment> out = new ArrayList<>();
        for (String id : ids) {
            find(owner, id).ifPresent(out::add);
        }
        return out;
    }

    @Override
    public InputStream open(Attachment attachment) throws IOException {
        return files.open(attachment.id());
    }

    @Override
    public void deleteSession(String owner, String sessionId) {
        List<String> ids = db.write(sql -> {
            List<String> found = sql.query("SELECT id FROM attachments WHERE session_id = ? AND owner = ?",
                    rs -> rs.getString("id"), sessionId, owner);
            sql.update("DELETE FROM attachments WHERE session_id = ? AND owner = ?", sessionId, owner);
            return found;
        });
        for (String id : ids) {
            files.delete(id);
        }
    }
}
