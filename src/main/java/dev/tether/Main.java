package dev.tether;

import dev.tether.config.CannotStart;
import dev.tether.config.ConfigException;
import dev.tether.config.ConfigLoader;
import dev.tether.config.TetherConfig;
import dev.tether.model.ModelCatalog;
import java.io.PrintStream;
import java.util.List;

/**
 * The {@code tether} command: with no arguments it starts the server from the environment (and
 * optional config file) and prints where it is; otherwise it helps, says its version, or runs a
 * subcommand against the same settings. A start that cannot happen (bad settings, data dir or
 * database in use or out of reach, port taken) is said in words, without a stack trace, and exits
 * non-zero having changed nothing.
 */
public final class Main {
    static final String HELP = """
            usage: tether [COMMAND]

            With no command, runs the server. Settings come from TETHER_* environment variables
            (README.md lists them), e.g. TETHER_PORT, TETHER_DATA_DIR, TETHER_DATABASE_URL.

            Commands:
              user add [--admin] NAME   add a user (password from TETHER_PASSWORD or the console)
              user passwd NAME          set a user's password
              user list                 list users
              migrate --from FILE --to URL
                                        copy a stopped server's SQLite store into an empty PostgreSQL
                                        database (tether migrate --help)
              mcp-builtin               serve the built-in MCP tools (clock, calculator) on
                                        stdin/stdout; Tether starts it itself when a chat uses them
              backup FILE.zip           copy the SQLite store and its attachments (also while it serves)
              restore FILE.zip          restore a backup into an empty data dir
              import-hermes DIR [--user NAME]
                                        import hermes-webui's session files as sessions of a user
                                        (tether import-hermes --help)
              --version                 print the version
              --help                    print this help

            Commands that open the store refuse while a server runs on it.
            """;

    private Main() {}

    public static void main(String[] args) throws java.io.IOException {
        List<String> arguments = List.of(args);
        String command = arguments.isEmpty() ? "" : arguments.getFirst();
        switch (command) {
            case "--help", "-h", "help" -> {
                System.out.print(HELP);
                return;
            }
            case "--version", "-V", "version" -> {
                System.out.println("Tether " + version());
                return;
            }
            case "migrate" -> { // needs no server settings, only its arguments
                System.exit(MigrateCommand.run(arguments.subList(1, arguments.size()), System.getenv(),
                        System.out, System.err));
                return;
            }
            case "mcp-builtin" -> { // stdout is the MCP channel: nothing else may print there
                try {
                    dev.tether.tool.BuiltinServer.serve(System.in, System.out);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                System.exit(0);
                return;
            }
            case "", "user", "backup", "restore", "import-hermes" -> { }
            default -> {
                System.err.println("tether: unknown command '" + command + "'");
                System.err.print(HELP);
                System.exit(2);
                return;
            }
        }
        TetherConfig config;
        try {
            config = ConfigLoader.fromEnvironment();
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        Tether tether;
        ModelCatalog models;
        try {
            List<String> rest = arguments.isEmpty() ? List.of() : arguments.subList(1, arguments.size());
            if (command.equals("user")) {
                System.exit(UserCommand.run(config, rest, System.out));
                return;
            }
            if (command.equals("backup") || command.equals("restore")) {
                System.exit(BackupCommand.run(config, command, rest, System.out));
                return;
            }
            if (command.equals("import-hermes")) {
                System.exit(HermesImportCommand.run(config, rest, System.out));
                return;
            }
            models = ModelCatalog.from(config);
            tether = Tether.start(config, models); // closes the models if it fails
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        } catch (CannotStart e) {
            System.err.println("Tether: " + e.getMessage());
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(tether::close, "tether-shutdown"));
        Fatal.install(System.err);
        banner(System.out, config, tether, models);
    }

    private static void banner(PrintStream out, TetherConfig config, Tether tether, ModelCatalog models) {
        out.println("Tether " + version() + " is listening on http://" + config.host() + ":" + tether.port() + "/");
        out.println("Data: " + config.dataDir() + " (" + StoreSet.describe(config) + ")");
        out.println(config.security().loginRequired() ? "Login required (users: tether user list)"
                : "No login: one local user (loopback only)");
        out.println("Models: " + String.join(", ", models.models().stream().map(m -> m.id()).toList())
                + " (default " + models.defaultModel() + ")");
    }

    /** The version the packaged jar's manifest gives; a build run from its classes has none. */
    static String version() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v == null ? "(development build)" : v;
    }
}
