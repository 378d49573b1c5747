package dev.tether.torture;

import dev.tether.support.TestServer;
import dev.tether.support.TestStore;
import java.nio.file.Path;
import java.util.Map;

/** Tether in this JVM (never killed): the bounded run's fast, debuggable target. */
final class InProcessTarget implements Target {
    private final TestServer server;
    private volatile boolean up = true;

    InProcessTarget(Path dataDir, TestStore store, Map<String, String> env) {
        this.server = TestServer.withConfiguredModels(dataDir, store, env);
    }

    @Override
    public String baseUrl() {
        return server.baseUrl();
    }

    @Override
    public Path dataDir() {
        return server.dataDir();
    }

    @Override
    public TestStore store() {
        return server.store();
    }

    @Override
    public int epoch() {
        return 0;
    }

    @Override
    public boolean isUp() {
        return up;
    }

    @Override
    public long pid() {
        return ProcessHandle.current().pid();
    }

    @Override
    public void close() {
        up = false;
        server.close();
    }
}
