package dev.tether.torture;

import dev.tether.support.ServerProcess;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;

/**
 * Tether as a child process that can be SIGKILLed and started again on the same data dir. Its
 * output goes to {@code server.log} in the data dir; lines that report an error are echoed.
 *
 * <p>Threading: {@link #kill()} and {@link #restart()} are called by one killer thread; readers see
 * the current process through volatile fields.
 */
final class ProcessTarget implements Target {
    static final List<String> JVM_OPTIONS = List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

    private final Path dataDir;
    private final Map<String, String> env;
    private final PrintStream log;
    private volatile ServerProcess process;
    private volatile boolean up;
    private volatile int epoch;

    ProcessTarget(Path dataDir, Map<String, String> env) {
        this.dataDir = dataDir;
        this.env = env;
        try {
            this.log = new PrintStream(Files.newOutputStream(dataDir.resolve("server.log"),
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND), true, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        restart();
    }

    /** kill -9, mid-whatever. */
    void kill() {
        up = false;
        epoch++;
        process.kill();
        log.println("---- SIGKILL (epoch " + epoch + ") ----");
    }

    /** Starts a new process on the same data dir (recovery runs before it serves). */
    void restart() {
        process = ServerProcess.start(dataDir, env, JVM_OPTIONS, this::output);
        up = true;
    }

    private void output(String line) {
        log.println(line);
        if (line.contains(" ERROR ") || line.contains("Exception") && !line.startsWith("\tat ")) {
            System.err.println("[server] " + line);
        }
    }

    @Override
    public String baseUrl() {
        return process.baseUrl();
    }

    @Override
    public Path dataDir() {
        return dataDir;
    }

    @Override
    public int epoch() {
        return epoch;
    }

    @Override
    public boolean isUp() {
        return up;
    }

    @Override
    public long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        up = false;
        process.terminate();
        log.close();
    }
}
