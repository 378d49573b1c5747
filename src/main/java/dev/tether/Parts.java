package dev.tether;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The started parts of a Tether, in start order. Stopping stops them in reverse order (what was
 * started last depends on what came before it), each one even if an earlier stop failed; a part is
 * stopped at most once. Jetty's {@code ContainerLifeCycle} does the same for its beans.
 *
 * <p>Threading: the starting thread adds; {@link #stopAll} may come from a shutdown hook, so all
 * methods are synchronized.
 */
final class Parts {
    private static final Logger LOG = LoggerFactory.getLogger(Parts.class);

    private record Part(String name, AutoCloseable stop) {}

    private final Deque<Part> started = new ArrayDeque<>();

    /** Records a part that has started (closing it stops it); returns the part. */
    synchronized <T extends AutoCloseable> T started(String name, T part) {
        started.push(new Part(name, part));
        return part;
    }

    /** Records a step that undoes something begun, such as ending the turns that run. */
    synchronized void onStop(String name, AutoCloseable stop) {
        started.push(new Part(name, stop));
    }

    /** A start failed: stops what had started, and returns {@code failure} with any stop's failure attached. */
    synchronized RuntimeException unwind(RuntimeException failure) {
        stop((name, e) -> failure.addSuppressed(e));
        return failure;
    }

    /** Stops everything, last started first; a failing stop is logged and the next one still runs. */
    synchronized void stopAll() {
        stop((name, e) -> LOG.warn("stopping the {} failed: {}", name, e.toString()));
    }

    private void stop(BiConsumer<String, Exception> failed) {
        while (!started.isEmpty()) {
            Part part = started.pop();
            try {
                part.stop().close();
            } catch (Exception e) {
                failed.accept(part.name(), e);
            }
        }
    }
}
