package dev.tether.store.postgres;

import dev.tether.config.DatabaseUrl;
import java.sql.SQLException;

/** One line for an operator when PostgreSQL cannot be used, by the driver's SQLSTATE; never the password. */
public final class PostgresFailures {
    private PostgresFailures() {}

    public static String connecting(DatabaseUrl url, SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String user = url.user().orElse(System.getProperty("user.name"));
        return switch (state) {
            case "08001", "08004", "08006" -> "cannot reach PostgreSQL at " + url.shown() + ": " + firstLine(e)
                    + " (is the server running, and is TETHER_DATABASE_URL's host and port right?)";
            case "3D000" -> "database " + url.shown() + " does not exist: create it (createdb) or fix TETHER_DATABASE_URL";
            case "28P01", "28000" -> "PostgreSQL at " + url.shown() + " refused the login of user " + user
                    + " (check TETHER_DATABASE_PASSWORD and the server's pg_hba.conf)";
            default -> "cannot connect to PostgreSQL at " + url.shown() + ": " + firstLine(e);
        };
    }

    private static String firstLine(SQLException e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.lines().findFirst().orElse(m).trim();
    }
}
