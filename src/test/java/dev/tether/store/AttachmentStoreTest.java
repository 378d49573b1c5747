package dev.tether.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.session.Attachment;
import dev.tether.session.AttachmentStore;
import dev.tether.session.AttachmentStore.SaveOutcome;
import dev.tether.store.jdbc.AttachmentFiles;
import dev.tether.store.jdbc.Database;
import dev.tether.store.postgres.PostgresAttachmentBytes;
import dev.tether.store.postgres.PostgresDatabase;
import dev.tether.store.jdbc.SqlAttachmentStore;
import dev.tether.store.sqlite.SqliteDatabase;
import dev.tether.support.TestPostgres;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Attachments on each store: bytes in files under the data dir, metadata in the database, scoped by owner. */
@ParameterizedClass(name = "{0}")
@EnumSource(AttachmentStoreTest.Kind.class)
class AttachmentStoreTest {
    @Parameter
    Kind kind;
    @TempDir
    Path dir;
    Opened opened;
    AttachmentStore attachments;

    /** The attachment stores, on a fresh database each. */
    enum Kind {
        SQLITE {
            @Override
            Opened open(Path dir) {
                Database db = SqliteDatabase.open(dir.resolve("tether.db"));
                return new Opened(new SqlAttachmentStore(db.executor(), dir.resolve("uploads")),
                        id -> Files.exists(dir.resolve("uploads").resolve(id)), () -> -1, db::close);
            }
        },
        POSTGRESQL {
            @Override
            Opened open(Path dir) {
                TestPostgres.Fresh fresh = TestPostgres.database();
                PostgresDatabase db = PostgresDatabase.open(fresh.jdbcUrl(), TestPostgres.USER, null);
                AttachmentFiles legacy = new AttachmentFiles(dir.resolve("uploads"));
                return new Opened(new SqlAttachmentStore(db.executor(), new PostgresAttachmentBytes(db.executor(), legacy)),
                        id -> db.executor().read(sql -> sql.one("SELECT 1 FROM attachment_bytes WHERE id = ?",
                                rs -> 1, id)).isPresent() || legacy.has(id),
                        () -> db.executor().read(sql -> sql.one("SELECT count(*) FROM attachment_bytes",
                                rs -> rs.getLong(1))).orElseThrow(), () -> {
                    db.close();
                    fresh.close();
                });
            }
        };

        abstract Opened open(Path dir);
    }

    /** An open store, whether it holds bytes for an attachment id, and what closes it. */
    record Opened(AttachmentStore store, java.util.function.Predicate<String> holdsBytes,
                  java.util.function.LongSupplier bytesInDatabase, Runnable close) {}

    @BeforeEach
    void open() {
        opened = kind.open(dir);
        attachments = opened.store();
    }

    @AfterEach
    void close() {
        opened.close().run();
    }

    @Test
    void aSavedAttachmentIsFoundByItsOwnerOnlyAndReadsBackItsBytes() throws IOException {
        Attachment saved = saved("alice", "notes.txt", "hello attachments");

        Attachment found = attachments.find("alice", saved.id()).orElseThrow();
        assertThat(found).extracting(Attachment::owner, Attachment::sessionId, Attachment::filename, Attachment::mime,
                Attachment::size).containsExactly("alice", "s1", "notes.txt", "text/plain", 17L);
        assertThat(found.createdAt()).isEqualTo(saved.createdAt().truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
        try (InputStream in = attachments.open(found)) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("hello attachments");
        }
        assertThat(attachments.find("bob", saved.id())).isEmpty();
    }

    @Test
    void findAllKeepsTheOrderAskedForAndLeavesOutWhatTheCallerDoesNotOwn() throws IOException {
        Attachment a = saved("alice", "a.txt", "a");
        Attachment b = saved("alice", "b.txt", "b");
        Attachment bobs = saved("bob", "c.txt", "c");

        assertThat(attachments.findAll("alice", List.of(b.id(), "nope", bobs.id(), a.id())))
                .extracting(Attachment::id).containsExactly(b.id(), a.id());
    }

    /** Bytes uploaded before PostgreSQL held them are files in the data dir: served, and moved in on the first read. */
    @Test
    void onPostgresqlAFileFromBeforeIsServedAndMovedIntoTheDatabase() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(kind == Kind.POSTGRESQL, "PostgreSQL keeps bytes in the database");
        Attachment a = saved("alice", "old.txt", "from the data dir");
        long before = rows();
        Files.createDirectories(dir.resolve("uploads"));
        try (InputStream in = attachments.open(a)) {
            Files.write(dir.resolve("uploads").resolve("legacy-" + a.id()), in.readAllBytes());
        }
        Attachment legacy = new Attachment("legacy-" + a.id(), a.owner(), a.sessionId(), a.filename(), a.mime(), a.size(),
                a.createdAt());
        try (InputStream in = attachments.open(legacy)) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("from the data dir");
        }
        assertThat(rows()).isEqualTo(before + 1);
        assertThat(dir.resolve("uploads").resolve(legacy.id())).as("moved, not copied").doesNotExist();
        try (InputStream in = attachments.open(legacy)) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("from the data dir");
        }
    }

    private long rows() {
        return opened.bytesInDatabase().getAsLong();
    }

    @Test
    void tooLargeIsRefusedAndLeavesNothingBehind() throws IOException {
        SaveOutcome outcome = attachments.save("alice", "s1", "big.bin", "application/octet-stream",
                new ByteArrayInputStream(new byte[1025]), 1024);

        assertThat(outcome).isEqualTo(new SaveOutcome.TooLarge(1024));
        if (Files.isDirectory(dir.resolve("uploads"))) {
            try (var left = Files.list(dir.resolve("uploads"))) {
                assertThat(left).isEmpty();
            }
        }
        if (kind == Kind.POSTGRESQL) {
            assertThat(rows()).as("no bytes in the database").isZero();
        }
    }

    @Test
    void deletingASessionsAttachmentsRemovesRowsAndFilesOfThatSessionAndOwnerOnly() throws IOException {
        Attachment doomed = saved("alice", "a.txt", "a");
        Attachment othersSession = ((SaveOutcome.Saved) attachments.save("alice", "s2", "b.txt", "text/plain",
                new ByteArrayInputStream(new byte[] {1}), 1024)).attachment();
        Attachment othersOwner = saved("bob", "c.txt", "c");

        attachments.deleteSession("alice", "s1");

        assertThat(attachments.find("alice", doomed.id())).isEmpty();
        assertThat(opened.holdsBytes().test(doomed.id())).isFalse();
        assertThat(attachments.find("alice", othersSession.id())).isPresent();
        assertThat(attachments.find("bob", othersOwner.id())).isPresent();
        assertThat(opened.holdsBytes().test(othersOwner.id())).isTrue();
    }

    private Attachment saved(String owner, String filename, String text) throws IOException {
        SaveOutcome outcome = attachments.save(owner, "s1", filename, "text/plain",
                new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), 1024);
        assertThat(outcome).isInstanceOf(SaveOutcome.Saved.class);
        return ((SaveOutcome.Saved) outcome).attachment();
    }
}
