package dev.tether;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tether.account.Accounts;
import dev.tether.account.User;
import dev.tether.config.CannotStart;
import dev.tether.config.TetherConfig;
import dev.tether.model.ModelCatalog;
import dev.tether.session.HermesSession;
import dev.tether.session.ImportOutcome;
import dev.tether.session.SessionChanges;
import dev.tether.session.SessionImport;
import dev.tether.session.SessionLifecycle;
import dev.tether.session.TimeOrderedId;
import dev.tether.store.sqlite.DataDirLock;
import dev.tether.web.Principal;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * {@code tether import-hermes DIR [--user NAME]}: each hermes-webui session file in DIR (or in its
 * {@code sessions/} folder) becomes a session of the user, through the same import the upload uses
 * ({@link SessionLifecycle#importSession}, one transaction per file) and held to the same limits
 * (upload size, message length, storage quota). A file that cannot be read is refused whole, with
 * one line saying why; the others still import. Like {@code tether user}, it opens the stores as a
 * server does and so refuses while one runs on them.
 */
final class HermesImportCommand {
    static final String USAGE = """
            usage: tether import-hermes HERMES_STATE_DIR [--user NAME]
              Imports every hermes-webui session file (*.json, not _*.json) in HERMES_STATE_DIR or in its
              sessions/ folder as a Tether session of user NAME (required when login is on; without login
              the sessions are the local user's). Titles, times, user and assistant messages and the archived
              flag are kept; an assistant's tool calls are kept as text lines in its message; tool results,
              system messages, pins and other fields are left out and counted in the report. A file that
              is malformed or over a limit is refused whole. Exit status: 0 all imported, 1 a file refused.""";
    private static final ObjectMapper JSON = new ObjectMapper();

    private HermesImportCommand() {}

    /** @throws CannotStart the data dir or database is in use (a server runs on it), or out of reach */
    static int run(TetherConfig config, List<String> args, PrintStream out) throws IOException {
        if (args.contains("--help") || args.contains("-h")) {
            out.println(USAGE);
            return 0;
        }
        String dir = null;
        String userName = null;
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).equals("--user") && i + 1 < args.size()) {
                userName = args.get(++i);
            } else if (!args.get(i).startsWith("-") && dir == null) {
                dir = args.get(i);
            } else {
                return usage(out);
            }
        }
        if (dir == null || (config.security().loginRequired() && userName == null)) {
            return usage(out);
        }
        List<Path> files = sessionFiles(Path.of(dir));
        if (files == null) {
            out.println("tether import-hermes: " + Path.of(dir).toAbsolutePath() + " is not a directory");
            return 2;
        }
        Parts parts = new Parts();
        StoreSet stores;
        try {
            stores = StoreSet.open(config, parts, "import-hermes-" + ProcessHandle.current().pid());
        } catch (DataDirLock.InUse e) {
            throw parts.unwind(new CannotStart(e.getMessage() + "; import the files one by one with the Import button"
                    + " above that server's session list,"
                    + " or stop it and run this again", e));
        } catch (RuntimeException e) {
            throw parts.unwind(e);
        }
        try (ModelCatalog models = ModelCatalog.from(config)) {
            String owner = owner(config, stores, userName, out);
            if (owner == null) {
                return 2;
            }
            SessionLifecycle lifecycle = new SessionLifecycle(stores.sessions(), SessionChanges.NONE, Clock.systemUTC());
            return new Run(config.limits(), stores, lifecycle, models, owner, out).all(files);
        } finally {
            parts.stopAll();
        }
    }

    /** The files hermes-webui keeps sessions in, by name; null when {@code dir} is not a directory. */
    private static List<Path> sessionFiles(Path dir) throws IOException {
        Path sessions = dir.resolve("sessions");
        Path from = Files.isDirectory(sessions) ? sessions : dir;
        if (!Files.isDirectory(from)) {
            return null;
        }
        try (Stream<Path> list = Files.list(from)) {
            return list.filter(Files::isRegularFile).filter(p -> {
                String name = p.getFileName().toString();
                return name.endsWith(".json") && !name.startsWith("_"); // _index.json and the like are not sessions
            }).sorted().toList();
        }
    }

    private static String owner(TetherConfig config, StoreSet stores, String userName, PrintStream out) {
        if (!config.security().loginRequired()) {
            if (userName != null) {
                out.println("No login on this server: the sessions go to its one local user.");
            }
            return Principal.LOCAL.owner();
        }
        Accounts accounts = new Accounts(stores.accounts(), Clock.systemUTC());
        for (User u : accounts.users()) {
            if (u.name().equalsIgnoreCase(userName)) {
                return u.id();
            }
        }
        out.println("tether import-hermes: no user " + userName + " (tether user list)");
        return null;
    }

    private static int usage(PrintStream out) {
        out.println(USAGE);
        return 2;
    }

    /** One import: the files in order, and what each gave, for the report. */
    private record Run(TetherConfig.Limits limits, StoreSet stores, SessionLifecycle lifecycle, ModelCatalog models,
                       String owner, PrintStream out) {

        int all(List<Path> files) {
            int sessions = 0;
            long messages = 0;
            List<String> skipped = new ArrayList<>();
            int refused = 0;
            int toolResults = 0;
            int system = 0;
            int otherRoles = 0;
            int parts = 0;
            Map<String, Integer> fields = new TreeMap<>();
            for (Path f : files) {
                String name = f.getFileName().toString();
                try {
                    HermesSession read = read(f);
                    if (read.file().entries().isEmpty()) {
                        skipped.add(name + ": no user or assistant messages, not imported");
                        continue;
                    }
                    int tooLong = read.file().firstTooLong(limits.maxMessageChars());
                    if (tooLong >= 0) {
                        throw new HermesSession.Malformed("message " + (tooLong + 1) + " is longer than "
                                + limits.maxMessageChars() + " characters (TETHER_MAX_MESSAGE_CHARS)");
                    }
                    quota(read.file());
                    String model = read.model() != null && models.find(read.model()).isPresent()
                            ? read.model() : models.defaultModel();
                    switch (lifecycle.importSession(owner, TimeOrderedId.next(), read.file(), model)) {
                        case ImportOutcome.Imported i -> {
                            sessions++;
                            messages += i.session().messageCount();
                            out.println("imported " + name + " as \"" + i.session().title() + "\" ("
                                    + i.session().messageCount() + " messages)");
                        }
                        case ImportOutcome.Refused r -> throw new HermesSession.Malformed(r.reason());
                    }
                    HermesSession.Skipped s = read.skipped();
                    toolResults += s.toolResults();
                    system += s.systemMessages();
                    otherRoles += s.otherRoles();
                    parts += s.nonTextParts();
                    s.fields().forEach((k, v) -> fields.merge(k, v, Integer::sum));
                } catch (HermesSession.Malformed e) {
                    refused++;
                    skipped.add(name + ": refused, nothing imported: " + e.getMessage());
                }
            }
            out.println("Imported " + sessions + " sessions (" + messages + " messages).");
            if (!skipped.isEmpty()) {
                out.println("Skipped " + skipped.size() + " files:");
                skipped.forEach(s -> out.println("  " + s));
            }
            out.println("Left out of the imported sessions: " + toolResults + " tool results, " + system
                    + " system messages, " + otherRoles + " messages of other roles, " + parts + " non-text content parts");
            if (!fields.isEmpty()) {
                out.println("Fields Tether has no place for (files that had them): " + fields);
            }
            return refused == 0 ? 0 : 1;
        }

        private HermesSession read(Path f) {
            JsonNode root;
            try {
                if (Files.size(f) > limits.maxUploadBytes()) {
                    throw new HermesSession.Malformed("the file is larger than " + limits.maxUploadBytes()
                            + " bytes (TETHER_MAX_UPLOAD_BYTES)");
                }
                root = JSON.readTree(f.toFile());
            } catch (JacksonException e) {
                throw new HermesSession.Malformed("not JSON: " + e.getOriginalMessage().lines().findFirst().orElse(""));
            } catch (IOException e) {
                throw new HermesSession.Malformed("cannot be read: " + e.getMessage());
            }
            if (root == null || root.isMissingNode()) {
                throw new HermesSession.Malformed("the file is empty");
            }
            return HermesSession.read(root);
        }

        private void quota(SessionImport file) {
            long limit = limits.quotaBytes();
            if (limit > 0) {
                long used = stores.sessions().storedBytes(owner);
                if (used + file.textBytes() > limit) {
                    throw new HermesSession.Malformed("the user's storage would pass its quota (" + used + " of "
                            + limit + " bytes used; TETHER_QUOTA_BYTES)");
                }
            }
        }
    }
}
