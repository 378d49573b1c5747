package dev.tether;

import dev.tether.account.Accounts;
import dev.tether.account.User;
import dev.tether.config.CannotStart;
import dev.tether.config.TetherConfig;
import dev.tether.store.sqlite.DataDirLock;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * {@code tether user add [--admin] NAME | user passwd NAME | user list}: manages users in the
 * store the settings choose (SQLite in the data dir, or PostgreSQL) without a running server: it
 * opens the stores as a server does ({@link StoreSet}), taking the same locks, so it
 * refuses (and says where to go instead) while one runs. The password comes from TETHER_PASSWORD,
 * else the console (not echoed), else one line of standard input.
 */
final class UserCommand {
    private UserCommand() {}

    /** @throws CannotStart the data dir or database is in use (a server runs on it), or out of reach */
    static int run(TetherConfig config, List<String> args, PrintStream out) throws IOException {
        // Before the store is opened, so help works while a server runs.
        if (args.isEmpty()) {
            return usage(out);
        }
        if (List.of("--help", "-h", "help").contains(args.getFirst())) {
            usage(out);
            return 0;
        }
        Parts parts = new Parts();
        StoreSet stores;
        try {
            stores = StoreSet.open(config, parts, "user-command-" + ProcessHandle.current().pid());
        } catch (DataDirLock.InUse e) {
            throw parts.unwind(new CannotStart(e.getMessage() + "; manage users on that server's settings page"
                    + " (/settings.html), or stop it and run this again", e));
        } catch (RuntimeException e) {
            throw parts.unwind(e);
        }
        try {
            Accounts accounts = new Accounts(stores.accounts(), Clock.systemUTC());
            String verb = args.isEmpty() ? "" : args.getFirst();
            List<String> rest = args.subList(Math.min(1, args.size()), args.size());
            return switch (verb) {
                case "add" -> add(accounts, rest, out);
                case "passwd" -> passwd(accounts, rest, out);
                case "list" -> {
                    for (User u : accounts.users()) {
                        out.println(u.name() + (u.admin() ? " (admin)" : "") + (u.disabled() ? " (disabled)" : ""));
                    }
                    yield 0;
                }
                default -> usage(out);
            };
        } finally {
            parts.stopAll();
        }
    }

    private static int add(Accounts accounts, List<String> args, PrintStream out) throws IOException {
        boolean admin = args.contains("--admin");
        List<String> names = args.stream().filter(a -> !a.startsWith("--")).toList();
        if (names.size() != 1) {
            return usage(out);
        }
        return switch (accounts.createUser(names.getFirst(), password(), admin)) {
            case Accounts.CreateOutcome.Created c -> {
                out.println("Created " + (admin ? "admin " : "user ") + c.user().name() + ".");
                yield 0;
            }
            case Accounts.CreateOutcome.NameTaken t -> {
                out.println("The name " + names.getFirst() + " is taken.");
                yield 1;
            }
            case Accounts.CreateOutcome.Invalid i -> {
                out.println(i.reason());
                yield 1;
            }
        };
    }

    private static int passwd(Accounts accounts, List<String> args, PrintStream out) throws IOException {
        if (args.size() != 1) {
            return usage(out);
        }
        Optional<User> user = accounts.users().stream().filter(u -> u.name().equalsIgnoreCase(args.getFirst())).findFirst();
        if (user.isEmpty()) {
            out.println("No user " + args.getFirst() + ".");
            return 1;
        }
        String problem = accounts.resetPassword(user.get().id(), password());
        out.println(problem == null ? "Password changed; existing logins were ended." : problem);
        return problem == null ? 0 : 1;
    }

    private static String password() throws IOException {
        String fromEnv = System.getenv("TETHER_PASSWORD");
        if (fromEnv != null && !fromEnv.isEmpty()) {
            return fromEnv;
        }
        Console console = System.console();
        if (console != null) {
            char[] pw = console.readPassword("Password (10+ characters): ");
            return pw == null ? "" : new String(pw);
        }
        String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        return line == null ? "" : line;
    }

    private static int usage(PrintStream out) {
        out.println("usage: tether user add [--admin] NAME | tether user passwd NAME | tether user list");
        return 2;
    }
}
