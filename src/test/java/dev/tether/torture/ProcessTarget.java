package dev.tether.torture;

import dev.tether.support.ServerProcess;
import dev.tether.support.TestStore;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Tether as a child process that can be SIGKILLed and started again on the same data dir. Its
 * output goes to {@code server.log} in the data dir; lines that report an error are echoed.
 *
 * <p>Threading: {@link #kill()} and {@link #restart()} are called by one killer thread; readers see
 * the current process through volatile fields.
 */
final class ProcessTarget implements KillableTarget {
    static final List<String> JVM_OPTIONS = List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

    private final Path dataDir;
    private final TestStore store;
    private final Map<String, String> env;
    private final PrintStream log;
    private volatile ServerProcess process;
    private volatile boolean up;
    private volatile int epoch;
    private volatile int externalKills;

    ProcessTarget(Path dataDir, TestStore store, Map<String, String> env) {
        this.dataDir = dataDir;
        this.store = store;
        this.env = new HashMap<>(env);
        this.env.putAll(store.settings());
        try {
            this.log = new PrintStream(Files.newOutputStream(dataDir.resolve("server.log"),
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND), true, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        restart();
    }

    /** kill -9, mid-whatever. */
    @Override
    public void kill() {
        up = false;
        epoch++;
        process.kill();
        log.println("---- SIGKILL (epoch " + epoch + ") ----");
    }

    /**
     * Starts a new process on the same data dir (recovery runs before it serves). A process that
     * dies of SIGKILL (status 137) before it listens was killed from outside (another program on a
     * shared machine, the OOM killer): that is counted and retried, not blamed on Tether. Any other
     * failure to start is Tether's and ends the run.
     */
    @Override
    public void restart() {
        for (int attempt = 1; ; attempt++) {
            try {
                process = ServerProcess.start(dataDir, env, JVM_OPTIONS, this::output);
                up = true;
                return;
            } catch (IllegalStateException e) {
                if (!e.getMessage().contains("exit status 137") || attempt == 3) {
                    throw e;
                }
                externalKills++;
                log.println("---- killed from outside while starting: " + e.getMessage() + " ----");
                System.err.println("torture: the server was SIGKILLed from outside while starting; starting again");
            }
        }
    }

    @Override
    public int externalKills() {
        return externalKills;
    }

    /** The only process: every turn running at the kill was its. */
    @Override
    public java.util.function.Predicate<StoreSnapshot.TurnRow> diedWithLastKill() {
        return t -> true;
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
    public TestStore store() {
        return store;
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
