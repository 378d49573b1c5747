package dev.tether.support;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntFunction;

/**
 * Runs actions on their own threads, released together by a {@link CyclicBarrier} so that
 * requests reach the server at the same moment (two tabs, a double click).
 */
public final class Simultaneous {
    private Simultaneous() {}

    /** Runs {@code action(0..n-1)} released at once; returns the results in index order. */
    public static <T> List<T> run(int n, IntFunction<T> action) {
        CyclicBarrier barrier = new CyclicBarrier(n);
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<T>> futures = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                int index = i;
                futures.add(threads.submit(() -> {
                    barrier.await(10, TimeUnit.SECONDS);
                    return action.apply(index);
                }));
            }
            List<T> results = new ArrayList<>(n);
            for (Future<T> f : futures) {
                results.add(f.get(30, TimeUnit.SECONDS));
            }
            return results;
        } catch (ExecutionException e) {
            throw new AssertionError("a simultaneous action failed", e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("a simultaneous action did not finish", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
