package dev.tether;

import dev.tether.config.ConfigException;
import dev.tether.config.ConfigLoader;
import dev.tether.config.TetherConfig;
import dev.tether.model.ModelCatalog;

/** Starts Tether from the environment (and optional config file) and prints where it is. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        TetherConfig config;
        try {
            config = ConfigLoader.fromEnvironment();
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        ModelCatalog models = ModelCatalog.from(config);
        Tether tether = Tether.start(config, models);
        Runtime.getRuntime().addShutdownHook(new Thread(tether::close, "tether-shutdown"));
        System.out.println("Tether is listening on http://" + config.host() + ":" + tether.port() + "/");
        System.out.println("Data: " + config.dataDir() + " (SQLite " + config.databaseFile() + ")");
        System.out.println("Models: " + String.join(", ", models.models().stream().map(m -> m.id()).toList())
                + " (default " + models.defaultModel() + ")");
    }
}
