package dev.tether;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.tether.config.CannotStart;
import dev.tether.config.TetherConfig;
import dev.tether.store.sqlite.DataDirLock;
import dev.tether.store.sqlite.SqliteBackup;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * {@code tether backup FILE} and {@code tether restore FILE}: a SQLite store and its attachments as
 * one zip archive. A backup may run while the server serves: the database is copied as one
 * snapshot ({@link SqliteBackup}), then the files of exactly the attachments that snapshot names. A
 * turn that was running in the snapshot is one the restored server ends {@code interrupted} with
 * its partial reply, as after a crash. A restore goes into an empty data dir only, under the data
 * dir's lock, and checks the result against the counts the archive recorded. On PostgreSQL both
 * refuse and point to {@code pg_dump}.
 */
final class BackupCommand {
    static final String USAGE = "usage: tether backup FILE.zip | tether restore FILE.zip"
            + " (the data dir is TETHER_DATA_DIR; restore needs it empty)";
    private static final String DATABASE = "tether.db";
    private static final String SUMMARY = "backup.json";
    private static final String ATTACHMENTS = "attachments/";
    /** Attachment ids as Tether makes them; anything else in an archive is refused, not extracted. */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9-]{1,64}");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private BackupCommand() {}

    /** @throws CannotStart what stopped it, in one line; nothing half-made is left behind */
    static int run(TetherConfig config, String verb, List<String> args, PrintStream out) {
        if (args.size() != 1 || args.getFirst().startsWith("-")) {
            out.println(USAGE);
            return args.size() == 1 && List.of("--help", "-h").contains(args.getFirst()) ? 0 : 2;
        }
        if (config.database().isPresent()) {
            throw new CannotStart("the store is PostgreSQL (" + config.database().get().shown() + "): back it up with"
                    + " pg_dump, and copy the attachments in " + config.attachmentDir() + " beside it");
        }
        Path file = Path.of(args.getFirst()).toAbsolutePath();
        try {
            return verb.equals("backup") ? backup(config, file, out) : restore(config, file, out);
        } catch (IOException e) {
            throw new CannotStart(verb + " failed: " + e.getMessage(), e);
        }
    }

    private static int backup(TetherConfig config, Path file, PrintStream out) throws IOException {
        if (Files.exists(file)) {
            throw new CannotStart(file + " exists; name a new file");
        }
        Path work = Files.createTempDirectory(file.getParent(), ".tether-backup-");
        try {
            Path copy = work.resolve(DATABASE);
            SqliteBackup.copy(config.databaseFile(), copy);
            List<String> ids = SqliteBackup.attachmentIds(copy);
            Map<String, Long> counts = SqliteBackup.counts(copy);
            List<String> missing = new ArrayList<>();
            Path part = work.resolve("archive.part");
            long bytes = 0;
            try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(part))) {
                put(zip, DATABASE, copy);
                for (String id : ids) {
                    Path attachment = config.attachmentDir().resolve(id);
                    if (Files.isRegularFile(attachment)) {
                        bytes += put(zip, ATTACHMENTS + id, attachment);
                    } else {
                        missing.add(id); // deleted with its session after the snapshot, or lost before it
                    }
                }
                Map<String, Object> summary = new LinkedHashMap<>();
                summary.put("tether_version", Main.version());
                summary.put("created_at", Instant.now().toString());
                summary.put("counts", counts);
                summary.put("attachment_files", ids.size() - missing.size());
                summary.put("missing_attachment_files", missing);
                zip.putNextEntry(new ZipEntry(SUMMARY));
                zip.write(JSON.writeValueAsBytes(summary));
                zip.closeEntry();
            }
            Files.move(part, file, StandardCopyOption.ATOMIC_MOVE);
            out.println("Backed up " + describe(counts) + " and " + (ids.size() - missing.size()) + " attachment files ("
                    + bytes + " bytes) to " + file + (missing.isEmpty() ? "" : "; missing files: " + missing));
            return 0;
        } finally {
            deleteTree(work);
        }
    }

    private static int restore(TetherConfig config, Path file, PrintStream out) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new CannotStart("no backup at " + file);
        }
        Path dataDir = config.dataDir();
        Files.createDirectories(dataDir);
        try (DataDirLock lock = DataDirLock.acquire(dataDir)) {
            if (Files.exists(config.databaseFile()) || nonEmpty(config.attachmentDir())) {
                throw new CannotStart("the data dir " + dataDir + " already holds a store; restore into an empty one");
            }
            Path work = Files.createTempDirectory(dataDir, ".tether-restore-");
            try {
                Map<?, ?> summary = unpack(file, work);
                Path db = work.resolve(DATABASE);
                String integrity = SqliteBackup.integrity(db);
                Map<String, Long> counts = SqliteBackup.counts(db);
                Map<String, Long> recorded = new LinkedHashMap<>();
                if (summary.get("counts") instanceof Map<?, ?> m) {
                    m.forEach((table, n) -> recorded.put(String.valueOf(table), n instanceof Number x ? x.longValue() : -1L));
                }
                if (!integrity.equals("ok") || !recorded.equals(counts)) {
                    throw new CannotStart("the backup does not check out (integrity: " + integrity + "; counts "
                            + counts + " against recorded " + recorded + "); nothing was restored");
                }
                Path unpackedAttachments = work.resolve("attachments");
                if (Files.isDirectory(unpackedAttachments)) {
                    Files.createDirectories(config.attachmentDir());
                    try (Stream<Path> files = Files.list(unpackedAttachments)) {
                        for (Path f : files.toList()) {
                            Files.move(f, config.attachmentDir().resolve(f.getFileName()));
                        }
                    }
                }
                Files.move(db, config.databaseFile(), StandardCopyOption.ATOMIC_MOVE); // last: the store appears whole
                out.println("Restored " + describe(counts) + " from " + file + " (made " + summary.get("created_at")
                        + " by Tether " + summary.get("tether_version") + ") into " + dataDir + "; verified");
                return 0;
            } finally {
                deleteTree(work);
            }
        }
    }

    /** Extracts the archive's known entries into {@code work}; refuses any other (no path leaves it). */
    private static Map<?, ?> unpack(Path file, Path work) throws IOException {
        Map<?, ?> summary = null;
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(file))) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                String name = e.getName();
                if (name.equals(SUMMARY)) {
                    summary = JSON.readValue(zip.readAllBytes(), Map.class);
                } else if (name.equals(DATABASE)) {
                    Files.copy(zip, work.resolve(DATABASE));
                } else if (name.startsWith(ATTACHMENTS) && ID.matcher(name.substring(ATTACHMENTS.length())).matches()) {
                    Files.createDirectories(work.resolve("attachments"));
                    Files.copy(zip, work.resolve(name));
                } else {
                    throw new CannotStart(file + " is not a Tether backup (unexpected entry " + name + ")");
                }
            }
        } catch (java.util.zip.ZipException e) {
            throw new CannotStart(file + " is not a Tether backup (" + e.getMessage() + ")");
        }
        if (summary == null || !Files.exists(work.resolve(DATABASE))) {
            throw new CannotStart(file + " is not a Tether backup (no " + (summary == null ? SUMMARY : DATABASE) + ")");
        }
        return summary;
    }

    private static long put(ZipOutputStream zip, String name, Path from) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        long n;
        try (InputStream in = Files.newInputStream(from)) {
            n = in.transferTo(zip);
        }
        zip.closeEntry();
        return n;
    }

    private static String describe(Map<String, Long> counts) {
        return counts.get("sessions") + " sessions, " + counts.get("messages") + " messages, " + counts.get("turns")
                + " turns, " + counts.get("users") + " users";
    }

    private static boolean nonEmpty(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isPresent();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
