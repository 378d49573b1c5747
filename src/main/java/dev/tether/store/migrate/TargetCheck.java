package dev.tether.store.migrate;

import dev.tether.config.DatabaseUrl;
import dev.tether.store.postgres.PostgresFailures;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The target must be empty: no tables at all, or only Tether's schema with no rows (a server was
 * started on it and never used), and no server may be running on it (an instance with a lease).
 * Checked before anything is created in it, so a refusal writes nothing.
 */
final class TargetCheck {
    private TargetCheck() {}

    /** @throws MigrationFailed the database cannot be reached, holds rows or tables that are not Tether's, or a server uses it */
    static void requireEmpty(DatabaseUrl url) {
        Connection connection;
        try {
            connection = SqliteToPostgres.connect(url, "tether migrate check");
        } catch (SQLException e) {
            throw new MigrationFailed(PostgresFailures.connecting(url, e), e);
        }
        try (Connection c = connection; Statement s = c.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT table_name FROM information_schema.tables"
                    + " WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            if (tables.isEmpty()) {
                return;
            }
            if (!tables.contains("flyway_schema_history")) {
                throw new MigrationFailed("database " + url.shown() + " is not empty: it has tables that are not"
                        + " Tether's (" + String.join(", ", tables.subList(0, Math.min(5, tables.size())))
                        + "); migrate copies only into an empty database");
            }
            if (tables.contains("instances")) {
                try (ResultSet rs = s.executeQuery("SELECT string_agg(description, ', ') FROM instances"
                        + " WHERE lease_until > now()")) {
                    rs.next();
                    String running = rs.getString(1);
                    if (running != null) {
                        throw new MigrationFailed("database " + url.shown() + " is in use by another Tether (" + running
                                + "); migrate only into a database no server uses");
                    }
                }
            }
            for (Table t : Tables.COPIED) {
                if (tables.contains(t.name())) {
                    try (ResultSet rs = s.executeQuery("SELECT EXISTS (SELECT 1 FROM " + t.name() + ")")) {
                        rs.next();
                        if (rs.getBoolean(1)) {
                            throw new MigrationFailed("database " + url.shown() + " is not empty (its table " + t.name()
                                    + " has rows); migrate copies only into an empty database");
                        }
                    }
                }
            }
        } catch (SQLException e) {
            throw new MigrationFailed("cannot read the database " + url.shown() + ": " + SqliteToPostgres.firstLine(e), e);
        }
    }
}
