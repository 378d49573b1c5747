package dev.tether.support;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Tether as a separate OS process (the real {@code dev.tether.Main}), so a test can SIGKILL it
 * mid-reply and start it again on the same data dir.
 */
public final class ServerProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("listening on http://[^:]+:(\\d+)/");

    private final Process process;
    private final int port;

    private ServerProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    public static ServerProcess start(Path dataDir, Map<String, String> env) {
        return start(dataDir, env, List.of());
    }

    /** As {@link #start(Path, Map)}, with options for the server's JVM (e.g. {@code -Xmx256m}). */
    public static ServerProcess start(Path dataDir, Map<String, String> env, List<String> jvmOptions) {
        return start(dataDir, env, jvmOptions, line -> { });
    }

    /** As above, handing every line the server prints (stdout and stderr) to {@code output}. */
    public static ServerProcess start(Path dataDir, Map<String, String> env, List<String> jvmOptions,
                                      Consumer<String> output) {
        return start(builder(dataDir, env, fromClasses(jvmOptions), List.of()), output);
    }

    /**
     * The packaged jar as a user runs it ({@code java -jar}, no other option), in {@code workDir}
     * with its data dir in there; every line it prints goes to {@code output}.
     */
    public static ServerProcess startJar(Path jar, Path workDir, Map<String, String> env, Consumer<String> output) {
        return start(builder(workDir.resolve("data"), env, List.of("-jar", jar.toString()), List.of())
                .directory(workDir.toFile()), output);
    }

    /** Starts {@code builder}'s command as a server (stderr into stdout, every line to {@code output}) and waits for its banner. */
    public static ServerProcess start(ProcessBuilder builder, Consumer<String> output) {
        ProcessBuilder pb = builder.redirectErrorStream(true);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new IllegalStateException("Tether did not start: " + e, e);
        }
        try {
            CompletableFuture<Integer> port = new CompletableFuture<>();
            Thread.ofVirtual().start(() -> readOutput(p, port, output));
            return new ServerProcess(p, port.get(60, TimeUnit.SECONDS));
        } catch (Exception e) {
            String exit = p.isAlive() ? "still running" : "exit status " + p.exitValue();
            p.destroyForcibly();
            throw new IllegalStateException("Tether did not start (" + exit + "): " + e, e);
        }
    }

    /** What follows {@code java} to run {@code dev.tether.Main} from this JVM's class path. */
    private static List<String> fromClasses(List<String> jvmOptions) {
        List<String> launch = new ArrayList<>(jvmOptions);
        launch.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.tether.Main"));
        return launch;
    }

    private static ProcessBuilder builder(Path dataDir, Map<String, String> env, List<String> launch,
                                          List<String> args) {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(launch);
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("TETHER_DATA_DIR", dataDir.toString());
        pb.environment().put("TETHER_PORT", "0");
        pb.environment().putAll(env);
        return pb;
    }

    /** How a run of {@code dev.tether.Main} that was expected to end, ended. */
    public record Exit(int status, List<String> stdout, List<String> stderr) {}

    /**
     * Runs {@code dev.tether.Main args} (with the JVM's native access granted, so the JVM's own
     * warnings stay off stderr) and waits for it to exit; one still running after
     * {@link #startTimeout()} is killed and reported as a failure.
     */
    public static Exit runToExit(Path dataDir, Map<String, String> env, List<String> args) {
        return runToExit(builder(dataDir, env, fromClasses(List.of("--enable-native-access=ALL-UNNAMED")), args));
    }

    /** As {@link #runToExit(Path, Map, List)}, running the packaged jar with {@code java -jar} in {@code workDir}. */
    public static Exit runJarToExit(Path jar, Path workDir, List<String> args) {
        return runToExit(builder(workDir.resolve("data"), Map.of(), List.of("-jar", jar.toString()), args)
                .directory(workDir.toFile()));
    }

    private static Exit runToExit(ProcessBuilder builder) {
        try {
            Path out = Files.createTempFile("tether-stdout", ".txt");
            Path err = Files.createTempFile("tether-stderr", ".txt");
            Process p = builder
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(startTimeout().toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
                throw new AssertionError("Tether was expected to exit but still ran after " + startTimeout()
                        + "; its output: " + Files.readString(out) + Files.readString(err));
            }
            Exit exit = new Exit(p.exitValue(), Files.readAllLines(out), Files.readAllLines(err));
            Files.delete(out);
            Files.delete(err);
            return exit;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void readOutput(Process p, CompletableFuture<Integer> port, Consumer<String> output) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                output.accept(line);
                Matcher m = LISTENING.matcher(line);
                if (m.find()) {
                    port.complete(Integer.parseInt(m.group(1)));
                }
            }
        } catch (IOException e) {
            // the process died
        }
        port.completeExceptionally(new IllegalStateException("Tether exited before listening"));
    }

    /** The OS process id (for reading {@code /proc/<pid>/status}). */
    public long pid() {
        return process.pid();
    }

    public int port() {
        return port;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** kill -9: no shutdown hook, no flush, no goodbye. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** SIGSTOP: the process stops where it is, its connections open (as a long GC pause or a frozen VM). */
    public void pause() {
        signal("STOP");
    }

    /** SIGCONT after {@link #pause}: it runs on as if nothing happened, unaware of the time it lost. */
    public void resume() {
        signal("CONT");
    }

    private void signal(String name) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid())).inheritIO().start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + name + " " + pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** SIGTERM: the server's shutdown hook runs (a clean stop). */
    public void terminate() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                kill();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        kill();
    }

    public static Duration startTimeout() {
        return Duration.ofSeconds(60);
    }
}
