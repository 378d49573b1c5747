package dev.tether;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A thread that dies of an Error takes the process down, running the shutdown hook on the way,
 * instead of leaving it half-alive (shown in a child JVM: the test's own must not exit).
 */
class FatalTest {

    @Test
    void aThreadDyingOfAnErrorStopsTheProcessThroughItsShutdownHook() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process child = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                Child.class.getName())).redirectErrorStream(true).start();
        boolean exited = child.waitFor(60, TimeUnit.SECONDS);
        if (!exited) {
            child.destroyForcibly().waitFor();
        }
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(exited).as("the child still ran after its flusher died; output: " + output).isTrue();
        assertThat(child.exitValue()).as(output).isEqualTo(Fatal.STATUS);
        assertThat(output).contains("thread journal-flusher died of java.lang.OutOfMemoryError: pretend")
                .contains("shutdown hook ran");
    }

    @Test
    void anExceptionDoesNotStopTheProcess() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process child = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                Child.class.getName(), "exception")).redirectErrorStream(true).start();
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(child.exitValue()).as(output).isZero();
        assertThat(output).contains("still here").doesNotContain("shutdown hook ran");
    }

    /** Installs the handler as Main does, then lets a platform thread die. */
    public static final class Child {
        public static void main(String[] args) throws IOException, InterruptedException {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println("shutdown hook ran")));
            Fatal.install(System.err);
            boolean exception = args.length > 0 && args[0].equals("exception");
            Thread dying = Thread.ofPlatform().name("journal-flusher").start(() -> {
                if (exception) {
                    throw new IllegalStateException("only an exception");
                }
                throw new OutOfMemoryError("pretend");
            });
            dying.join();
            if (exception) {
                System.out.println("still here");
                Runtime.getRuntime().halt(0); // skip the hook: its line would mean a stop
            }
            new CountDownLatch(1).await(); // parked for ever: only the handler can end this process
        }
    }
}
