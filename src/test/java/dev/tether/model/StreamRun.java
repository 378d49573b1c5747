package dev.tether.model;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One {@link ChatModel#stream} call running on its own virtual thread, so a test can watch it, stop
 * it and wait for its outcome with a bound.
 */
public final class StreamRun {

    private final RecordingSink sink = new RecordingSink();
    private final StopSignal stop = new StopSignal();
    private final CompletableFuture<ModelException> outcome = new CompletableFuture<>();

    private StreamRun() {}

    public static StreamRun start(ChatModel model, ModelRequest request) {
        StreamRun run = new StreamRun();
        Thread.ofVirtual().name("stream-run").start(() -> {
            try {
                model.stream(request, run.sink, run.stop);
                run.outcome.complete(null);
            } catch (ModelException e) {
                run.outcome.complete(e);
            } catch (Throwable t) {
                run.outcome.completeExceptionally(t); // an unchecked escape is a test failure
            }
        });
        return run;
    }

    /** A request for {@code model} with one user message. */
    public static ModelRequest ask(String model, String message) {
        return new ModelRequest(model, List.of(new ModelRequest.ChatMessage("user", message)));
    }

    public RecordingSink sink() {
        return sink;
    }

    public void stop() {
        stop.fire();
    }

    public boolean isDone() {
        return outcome.isDone();
    }

    /** Waits at most {@code limit}; returns the exception the call threw, or null if it completed. */
    public ModelException await(Duration limit) throws InterruptedException, TimeoutException {
        try {
            return outcome.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("stream() let an unchecked exception escape", e.getCause());
        }
    }
}
