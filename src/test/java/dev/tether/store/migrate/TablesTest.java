package dev.tether.store.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.store.postgres.PostgresDatabase;
import dev.tether.store.sqlite.SqliteDatabase;
import dev.tether.support.TestPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every table and column of both schemas, as their migrations make them, is one that migrate copies
 * or names as not copied: a table or column added without teaching migrate fails here.
 */
class TablesTest {
    @TempDir
    Path dir;

    @Test
    void everyTableAndColumnOfTheSqliteSchemaIsAccountedFor() throws Exception {
        Path file = dir.resolve("tether.db");
        SqliteDatabase.open(file).close();
        TreeMap<String, Set<String>> schema = new TreeMap<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
            for (String table : names(s, "SELECT name FROM sqlite_master WHERE type = 'table'")) {
                if (!Tables.isSqliteInternal(table)) {
                    schema.put(table, names(s, "SELECT name FROM pragma_table_info('" + table + "')"));
                }
            }
        }
        assertAccountedFor(schema);
    }

    @Test
    void everyTableAndColumnOfThePostgresqlSchemaIsAccountedFor() throws Exception {
        try (TestPostgres.Fresh db = TestPostgres.database()) {
            PostgresDatabase.open(db.jdbcUrl(), TestPostgres.USER, null).close();
            TreeMap<String, Set<String>> schema = new TreeMap<>();
            try (Connection c = DriverManager.getConnection(db.jdbcUrl(), TestPostgres.USER, null); Statement s = c.createStatement()) {
                for (String table : names(s, "SELECT table_name FROM information_schema.tables"
                        + " WHERE table_schema = 'public' AND table_type = 'BASE TABLE'")) {
                    schema.put(table, names(s, "SELECT column_name FROM information_schema.columns"
                            + " WHERE table_schema = 'public' AND table_name = '" + table + "'"));
                }
            }
            assertAccountedFor(schema);
        }
    }

    private static void assertAccountedFor(TreeMap<String, Set<String>> schema) {
        Set<String> expected = new TreeSet<>(Tables.NOT_COPIED.keySet());
        Tables.COPIED.forEach(t -> expected.add(t.name()));
        assertThat(expected).containsAll(schema.keySet()); // some not copied are one store's own (SQLite's index)
        assertThat(schema.keySet()).containsAll(Tables.COPIED.stream().map(Table::name).toList());
        for (Table t : Tables.COPIED) {
            Set<String> columns = new TreeSet<>(schema.get(t.name()));
            columns.removeIf(c -> Tables.COLUMNS_NOT_COPIED.containsKey(t.name() + "." + c));
            assertThat(t.columns().stream().map(Table.Column::name).collect(Collectors.toSet()))
                    .as("columns of " + t.name()).isEqualTo(columns);
        }
    }

    private static Set<String> names(Statement s, String query) throws SQLException {
        Set<String> names = new HashSet<>();
        try (ResultSet rs = s.executeQuery(query)) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }
}
