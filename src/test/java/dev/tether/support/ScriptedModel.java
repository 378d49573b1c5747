package dev.tether.support;

import dev.tether.model.ChatModel;
import dev.tether.model.ModelDelta;
import dev.tether.model.ModelException;
import dev.tether.model.ModelRequest;
import dev.tether.model.StopSignal;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A model the test drives step by step. With {@link #autoReply} set, every call streams those
 * tokens and returns at once; otherwise each call waits as a {@link Call} the test takes with
 * {@link #nextCall} and tells what to do: emit text, finish, fail, or ignore stop (a stuck worker).
 */
public final class ScriptedModel implements ChatModel {
    private final BlockingQueue<Call> calls = new LinkedBlockingQueue<>();
    private final AtomicInteger callCount = new AtomicInteger();
    private volatile ModelRequest lastRequest;
    private volatile List<String> autoReply;

    public static ScriptedModel manual() {
        return new ScriptedModel();
    }

    public static ScriptedModel autoReply(String... tokens) {
        ScriptedModel m = new ScriptedModel();
        m.autoReply = List.of(tokens);
        return m;
    }

    public void setAutoReply(String... tokens) {
        autoReply = tokens.length == 0 ? null : List.of(tokens);
    }

    /** The history the server sent with the latest call. */
    public ModelRequest lastRequest() {
        return lastRequest;
    }

    public int callCount() {
        return callCount.get();
    }

    @Override
    public void stream(ModelRequest request, DeltaSink sink, StopSignal stop) throws ModelException {
        callCount.incrementAndGet();
        lastRequest = request;
        List<String> auto = autoReply;
        if (auto != null) {
            for (String t : auto) {
                if (stop.isStopped()) {
                    throw new ModelException.Stopped();
                }
                sink.accept(new ModelDelta.Text(t));
            }
            sink.accept(new ModelDelta.Usage(request.messages().size(), auto.size()));
            return;
        }
        Call call = new Call(request, sink, stop);
        calls.add(call);
        call.run();
    }

    /** The next call the server made, waiting up to {@code timeout}. */
    public Call nextCall(Duration timeout) {
        try {
            Call c = calls.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (c == null) {
                throw new AssertionError("the model was not called within " + timeout);
            }
            return c;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** One model call in progress, driven by the test. */
    public static final class Call {
        public final ModelRequest request;
        private final DeltaSink sink;
        private final StopSignal stop;
        private final BlockingQueue<Step> steps = new LinkedBlockingQueue<>();
        private final CountDownLatch returned = new CountDownLatch(1);
        private volatile boolean ignoreStop;

        Call(ModelRequest request, DeltaSink sink, StopSignal stop) {
            this.request = request;
            this.sink = sink;
            this.stop = stop;
        }

        private sealed interface Step {}

        private record Emit(ModelDelta delta, CountDownLatch done) implements Step {}

        private record Finish() implements Step {}

        private record Fail(ModelException e) implements Step {}

        private record Stopped() implements Step {}

        void run() throws ModelException {
            stop.onStop(() -> {
                if (!ignoreStop) {
                    steps.add(new Stopped());
                }
            });
            try {
                while (true) {
                    Step s = steps.take();
                    switch (s) {
                        case Emit e -> {
                            sink.accept(e.delta());
                            e.done().countDown();
                        }
                        case Finish f -> {
                            return;
                        }
                        case Fail f -> throw f.e();
                        case Stopped st -> throw new ModelException.Stopped();
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ModelException.Stopped();
            } finally {
                returned.countDown();
            }
        }

        /** Streams one text delta and waits until the server took it. */
        public Call emit(String text) {
            return emit(new ModelDelta.Text(text));
        }

        public Call emit(ModelDelta delta) {
            CountDownLatch done = new CountDownLatch(1);
            steps.add(new Emit(delta, done));
            await(done, "the delta to be taken");
            return this;
        }

        public void finish() {
            steps.add(new Finish());
        }

        public void fail(ModelException e) {
            steps.add(new Fail(e));
        }

        /** Makes this call a stuck worker: it ignores stop until told to finish. */
        public Call ignoreStop() {
            ignoreStop = true;
            return this;
        }

        /** The content of the last user message the server sent in this call. */
        public String lastUserMessage() {
            return request.messages().reversed().stream().filter(m -> m.role().equals("user"))
                    .findFirst().orElseThrow().content();
        }

        /** Answers with {@code "re:" + the last user message} and returns: a reply a test can trace back. */
        public void echo() {
            emit("re:" + lastUserMessage());
            finish();
        }

        public boolean isStopped() {
            return stop.isStopped();
        }

        public void awaitReturned(Duration timeout) {
            try {
                if (!returned.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    throw new AssertionError("the model call did not return within " + timeout);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }

        private static void await(CountDownLatch latch, String what) {
            try {
                if (!latch.await(10, TimeUnit.SECONDS)) {
                    throw new AssertionError("timed out waiting for " + what);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
