package dev.tether.store.sqlite;

import dev.tether.session.Attachment;
import dev.tether.session.AttachmentStore;
import dev.tether.store.jdbc.JdbcExecutor;
import dev.tether.store.jdbc.Rows;
import dev.tether.store.jdbc.Sql.Mapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Attachment bytes as files named by id under the data dir; metadata in SQLite. */
public final class SqliteAttachmentStore implements AttachmentStore {
    private final JdbcExecutor db;
    private final Path dir;
    private final Mapper<Attachment> attachment;

    public SqliteAttachmentStore(JdbcExecutor db, Path dir) {
        this.db = db;
        this.dir = dir;
        Rows rows = new Rows(db.columns());
        this.attachment = rs -> new Attachment(rs.getString("id"), rs.getString("owner"), rs.getString("session_id"),
                rs.getString("filename"), rs.getString("mime"), rs.getLong("size"), rows.instant(rs, "created_at"));
    }

    @Override
    public SaveOutcome save(String owner, String sessionId, String filename, String mime, InputStream content,
                            long maxBytes) throws IOException {
        Files.createDirectories(dir);
        String id = UUID.randomUUID().toString();
        Path temp = Files.createTempFile(dir, "upload-", ".part");
        long size = 0;
        try (InputStream in = content; OutputStream out = Files.newOutputStream(temp)) {
            byte[] buf = new byte[64 * 1024];
            for (int n; (n = in.read(buf)) > 0; ) {
                size += n;
                if (size > maxBytes) {
                    return new SaveOutcome.TooLarge(maxBytes);
                }
                out.write(buf, 0, n);
            }
        } finally {
            if (size > maxBytes) {
                Files.deleteIfExists(temp);
            }
        }
        Files.move(temp, dir.resolve(id), StandardCopyOption.ATOMIC_MOVE);
        Attachment a = new Attachment(id, owner, sessionId, filename, mime, size, Instant.now());
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
        return Files.newInputStream(dir.resolve(attachment.id()));
    }
}
