package dev.tether.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The PostgreSQL server that {@code --store postgresql} runs Tether on: a new database per server
 * run, and what the database did between two moments (commits, rows written, WAL, the CPU of the
 * machine's PostgreSQL processes), so the report shows where PostgreSQL's cost goes.
 *
 * <p>PostgreSQL's per-database counters reach {@code pg_stat_database} when a backend flushes its
 * pending statistics: at most once a second while busy, and by {@link #STATS_FLUSH_MS} after it
 * went idle. A run that ends with the load (the burst) reads its last mark after that long.
 */
final class BenchPostgres {
    static final long STATS_FLUSH_MS = 11_000;
    private final String host;
    private final int port;
    private final String user;

    /** {@code server} is {@code host:port}; {@code user} needs CREATEDB (trust or a .pgpass entry). */
    BenchPostgres(String server, String user) {
        int colon = server.lastIndexOf(':');
        this.host = colon < 0 ? server : server.substring(0, colon);
        this.port = colon < 0 ? 5432 : Integer.parseInt(server.substring(colon + 1));
        this.user = user;
    }

    /** What one run of the server is given: its database and the setting that points at it. */
    String url(String database) {
        return "postgresql://" + user + "@" + host + ":" + port + "/" + database;
    }

    void create(String database) {
        admin("CREATE DATABASE " + database);
    }

    void drop(String database) {
        admin("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
    }

    /** The database's counters and the cluster's WAL position now. */
    Mark mark(String database) {
        try (Connection c = connect("postgres");
             PreparedStatement s = c.prepareStatement("SELECT xact_commit, xact_rollback, tup_inserted + tup_updated"
                     + " + tup_deleted, pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint"
                     + " FROM pg_stat_database WHERE datname = ?")) {
            s.setString(1, database);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("no database " + database);
                }
                return new Mark(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), postgresCpuSeconds(),
                        System.nanoTime());
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read PostgreSQL's statistics: " + e.getMessage(), e);
        }
    }

    /**
     * One database's activity between two marks. The WAL position and the CPU are the whole
     * cluster's and the whole machine's PostgreSQL processes': anything else using that server in
     * the meantime is counted too.
     */
    record Mark(long commits, long rollbacks, long rowsWritten, long walBytes, double cpuSeconds, long nanos) {
        /** The same counters, with the CPU reading of {@code other} (taken when the load ended). */
        Mark withCpuOf(Mark other) {
            return new Mark(commits, rollbacks, rowsWritten, walBytes, other.cpuSeconds, nanos);
        }

        /** What happened from this mark to {@code later}: {@code wall} seconds of load that relayed {@code tokens}. */
        Map<String, Object> until(Mark later, long tokens, double wall) {
            long commitCount = later.commits - commits;
            long rows = later.rowsWritten - rowsWritten;
            long wal = later.walBytes - walBytes;
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("commits", commitCount);
            out.put("rollbacks", later.rollbacks - rollbacks);
            out.put("commits_per_s", Math.round(commitCount / wall));
            out.put("rows_written", rows);
            out.put("rows_per_commit", Cpu.round((double) rows / Math.max(1, commitCount)));
            out.put("wal_mib", Cpu.round(wal / 1048576.0));
            out.put("wal_bytes_per_token", tokens == 0 ? null : Math.round((double) wal / tokens));
            out.put("postgres_cpu_s", Cpu.round(later.cpuSeconds - cpuSeconds));
            return out;
        }
    }

    /** CPU seconds of every process named postgres on this machine (the server and its backends). */
    static double postgresCpuSeconds() {
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            return procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                    .filter(BenchPostgres::isPostgres)
                    .mapToDouble(p -> ProcStats.of(Long.parseLong(p.getFileName().toString())).cpuSeconds())
                    .sum();
        } catch (IOException e) {
            return Double.NaN;
        }
    }

    private static boolean isPostgres(Path proc) {
        try {
            return Files.readString(proc.resolve("comm")).strip().startsWith("postgres");
        } catch (IOException e) {
            return false; // the process ended
        }
    }

    private void admin(String statement) {
        try (Connection c = connect("postgres"); Statement s = c.createStatement()) {
            s.execute(statement);
        } catch (SQLException e) {
            throw new IllegalStateException(statement + " failed on " + host + ":" + port + ": " + e.getMessage(), e);
        }
    }

    private Connection connect(String database) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://" + host + ":" + port + "/" + database, user, null);
    }
}
