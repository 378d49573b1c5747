package dev.tether.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The bench provider's pacer: every token on its own write, none before it is due, streams interleaved. */
class TokenPacerTest {

    /** Records when each flush (one token, or the closing chunks) happened, and what it carried. */
    private static final class Recording extends OutputStream {
        final ByteArrayOutputStream pending = new ByteArrayOutputStream();
        final List<Long> flushedAt = new ArrayList<>();
        final List<String> flushed = new ArrayList<>();

        @Override
        public void write(int b) {
            pending.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            pending.write(b, off, len);
        }

        @Override
        public void flush() {
            flushedAt.add(System.nanoTime());
            flushed.add(pending.toString(StandardCharsets.UTF_8));
            pending.reset();
        }
    }

    @Test
    void writesEachTokenOnItsOwnNoEarlierThanDueThenTheEnd() throws Exception {
        try (TokenPacer pacer = new TokenPacer()) {
            long interval = TimeUnit.MILLISECONDS.toNanos(3);
            List<Recording> outs = new ArrayList<>();
            List<CompletableFuture<Void>> done = new ArrayList<>();
            long first = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(5);
            for (int s = 0; s < 3; s++) {
                Recording out = new Recording();
                outs.add(out);
                done.add(pacer.pace(out, 10, first + s * 1000, interval));
            }
            CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);

            for (int s = 0; s < 3; s++) {
                Recording out = outs.get(s);
                assertThat(out.flushed).hasSize(11); // ten tokens, then finish + usage + [DONE] + end
                for (int i = 0; i < 10; i++) {
                    assertThat(out.flushedAt.get(i)).isGreaterThanOrEqualTo(first + s * 1000 + i * interval);
                    assertThat(out.flushed.get(i)).contains("data: ").contains("\"content\":\" " + i + "@")
                            .endsWith("\n\n\r\n");
                }
                assertThat(out.flushed.get(10)).contains("\"finish_reason\":\"stop\"", "\"completion_tokens\":10",
                        "data: [DONE]").endsWith("0\r\n\r\n");
            }
        }
    }

    @Test
    void aFailedWriteFailsOnlyItsOwnStream() throws Exception {
        try (TokenPacer pacer = new TokenPacer()) {
            OutputStream broken = new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    throw new IOException("client went away");
                }
            };
            long now = System.nanoTime();
            CompletableFuture<Void> failed = pacer.pace(broken, 5, now, 1_000_000);
            Recording out = new Recording();
            CompletableFuture<Void> fine = pacer.pace(out, 5, now, 1_000_000);

            fine.get(10, TimeUnit.SECONDS);
            assertThatThrownBy(failed::join).isInstanceOf(CompletionException.class).hasRootCauseMessage("client went away");
            assertThat(out.flushed).hasSize(6);
        }
    }
}
