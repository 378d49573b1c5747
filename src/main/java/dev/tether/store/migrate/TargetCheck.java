package dev.tether.store.migrate;

import dev.tether.config.DatabaseUrl;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The target must be empty: no tables at all, or only Tether's schema with no rows (a server was
 * started on it and never used). Checked before anything is created in it, so a refusal writes nothing.
 */
final class TargetCheck {
    private TargetCheck() {}

    /** @throws MigrationFailed the database holds rows, or tables that are not Tether's */
    static void requireEmpty(DatabaseUrl url) {
        try (Connection c = SqliteToPostgres.connect(url, "tether migrate check"); Statement s = c.createStatement()) {
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
