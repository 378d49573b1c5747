package dev.tether.store.migrate;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfoService;
import org.flywaydb.core.api.MigrationState;

/**
 * Whether a SQLite file is a Tether store this version can copy: Tether's (it has Tether's tables and
 * a Flyway history), not made by a newer Tether (whose tables this one may not know), and at this
 * version's schema, or behind it (then the caller upgrades it first, as this version's server does on
 * start). Once current, every table it has must be one {@link Tables} names.
 */
final class SourceCheck {
    private SourceCheck() {}

    /**
     * @return whether the schema is behind this version's (and its tables were not checked yet)
     * @throws MigrationFailed it is not a store this version can copy
     */
    static boolean check(Path file) {
        List<String> tables = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")) {
            while (rs.next()) {
                tables.add(rs.getString(1));
            }
        } catch (SQLException e) {
            throw new MigrationFailed("cannot read " + file + ": " + SqliteToPostgres.firstLine(e), e);
        }
        if (!tables.contains("sessions") || !tables.contains("flyway_schema_history")) {
            throw new MigrationFailed(file + " is not a Tether database (it has no sessions table or no schema history)");
        }
        MigrationInfoService info = Flyway.configure().dataSource("jdbc:sqlite:" + file, null, null)
                .locations("classpath:db/migration/sqlite").load().info();
        if (Arrays.stream(info.all()).anyMatch(m -> m.getState() == MigrationState.FUTURE_SUCCESS)) {
            throw new MigrationFailed(file + " was made by a newer Tether (schema version " + info.current().getVersion()
                    + "); migrate it with that version");
        }
        if (info.pending().length > 0) {
            return true;
        }
        List<String> unknown = tables.stream().filter(t -> Tables.COPIED.stream().noneMatch(c -> c.name().equals(t))
                && !Tables.NOT_COPIED.containsKey(t) && !Tables.isSqliteInternal(t)).toList();
        if (!unknown.isEmpty()) {
            throw new MigrationFailed(file + " has tables this Tether does not know how to copy: " + String.join(", ", unknown));
        }
        return false;
    }
}
