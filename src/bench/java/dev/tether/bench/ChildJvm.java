package dev.tether.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Java process the benchmark starts (the Tether server, or the provider): its pid for /proc
 * readings, the port it printed, and its output copied to a log file.
 */
final class ChildJvm implements AutoCloseable {
    private final Process process;
    private final int port;
    /** The PostgreSQL database a server runs on (see {@link #runsOn}); null on SQLite and for the provider. */
    private volatile BenchPostgres postgres;
    private volatile String database;

    private ChildJvm(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * Starts {@code mainClass} with {@code jvmFlags} and waits until a line of its output matches
     * {@code portLine} (group 1 is the port).
     */
    static ChildJvm start(String classpath, List<String> jvmFlags, String mainClass, List<String> args,
                          Map<String, String> env, Pattern portLine, Path log) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmFlags);
        cmd.add("-cp");
        cmd.add(classpath);
        cmd.add(mainClass);
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(env);
        try {
            Files.createDirectories(log.getParent());
            Process p = pb.start();
            CompletableFuture<Integer> port = new CompletableFuture<>();
            Thread.ofPlatform().daemon().name("child-output").start(() -> copyOutput(p, portLine, port, log));
            return new ChildJvm(p, port.get(120, TimeUnit.SECONDS));
        } catch (Exception e) {
            throw new IllegalStateException(mainClass + " did not start (see " + log + "): " + e, e);
        }
    }

    private static void copyOutput(Process p, Pattern portLine, CompletableFuture<Integer> port, Path log) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
             PrintWriter w = new PrintWriter(Files.newBufferedWriter(log), true)) {
            String line;
            while ((line = r.readLine()) != null) {
                w.println(line);
                Matcher m = portLine.matcher(line);
                if (!port.isDone() && m.find()) {
                    port.complete(Integer.parseInt(m.group(1)));
                }
            }
        } catch (IOException e) {
            // the process ended
        }
        port.completeExceptionally(new IllegalStateException("exited before printing its port"));
    }

    void runsOn(BenchPostgres server, String name) {
        this.postgres = server;
        this.database = name;
    }

    /** Its database's counters now, or null when it does not run on PostgreSQL. */
    BenchPostgres.Mark databaseMark() {
        return database == null ? null : postgres.mark(database);
    }

    long pid() {
        return process.pid();
    }

    int port() {
        return port;
    }

    ProcStats.Snapshot stats() {
        return ProcStats.of(process.pid());
    }

    /** A clean stop (SIGTERM, so JFR writes its recording), then SIGKILL if it hangs. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
