package dev.tether;

import dev.tether.config.CannotStart;
import dev.tether.config.ConfigException;
import dev.tether.config.ConfigLoader;
import dev.tether.config.TetherConfig;
import dev.tether.model.ModelCatalog;

/**
 * Starts Tether from the environment (and optional config file) and prints where it is. A start
 * that cannot happen (bad settings, data dir or database in use or out of reach, port taken) is said in words, without a stack
 * trace, and exits non-zero having changed nothing.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) throws java.io.IOException {
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
            if (args.length > 0 && args[0].equals("user")) {
                System.exit(UserCommand.run(config, java.util.List.of(args).subList(1, args.length), System.out));
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
        System.out.println("Tether is listening on http://" + config.host() + ":" + tether.port() + "/");
        System.out.println("Data: " + config.dataDir() + " (" + StoreSet.describe(config) + ")");
        System.out.println(config.security().loginRequired() ? "Login required (users: bin/tether user list)"
                : "No login: one local user (loopback only)");
        System.out.println("Models: " + String.join(", ", models.models().stream().map(m -> m.id()).toList())
                + " (default " + models.defaultModel() + ")");
    }
}
