package dev.tether.torture;

import dev.tether.support.TestStore;
import java.nio.file.Path;

/**
 * The server under torture. Clients read {@link #baseUrl()} for every request (a restarted process
 * listens on a new port) and use {@link #epoch()} and {@link #isUp()} to tell a failure caused by a
 * deliberate kill from one the server should not have had.
 *
 * <p>Threading: all methods may be called from any thread.
 */
interface Target extends AutoCloseable {

    String baseUrl();

    /** Every server's address (one, unless several instances share the store). */
    default java.util.List<String> baseUrls() {
        return java.util.List.of(baseUrl());
    }

    Path dataDir();

    /** Where the server keeps its sessions; it outlives {@link #close()} for the final checks. */
    TestStore store();

    /** Grows by one at every kill. */
    int epoch();

    boolean isUp();

    /** The server's OS process, for sampling its memory. */
    long pid();

    /** Stops the server for good (cleanly where possible); the data dir stays for the final checks. */
    @Override
    void close();
}
