package dev.tether.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tether.model.ModelException;
import dev.tether.support.ScriptedModel;
import dev.tether.support.SseTestClient;
import dev.tether.support.TestServer;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** /metrics after a few turns: the meters are there, with the counts of what was run. */
class MetricsPageTest {
    static final Duration WAIT = Duration.ofSeconds(10);
    static final ScriptedModel MODEL = ScriptedModel.manual();
    static TestServer server;
    static String page;

    /** Two turns complete while a subscriber follows them live, one fails at the provider, one is stopped. */
    @BeforeAll
    static void runSomeTurns() {
        server = TestServer.with(MODEL);
        String session = server.newSession();
        for (int i = 0; i < 2; i++) {
            String turn = server.startTurn(session, "hello " + i);
            ScriptedModel.Call call = MODEL.nextCall(WAIT);
            try (SseTestClient.Connection live = server.stream("/api/chat/stream?stream_id=" + turn, Map.of())) {
                call.emit("Hel").emit("lo");
                live.awaitEvents(2, WAIT); // written to a live subscriber: a relay
                call.finish();
                assertThat(live.awaitEnd(WAIT)).isTrue();
            }
            server.awaitIdle(session);
        }
        server.startTurn(session, "fail");
        MODEL.nextCall(WAIT).fail(new ModelException("rate_limited", "Slow down.", "Wait a minute."));
        server.awaitIdle(session);
        String stopped = server.startTurn(session, "stop me");
        MODEL.nextCall(WAIT).emit("partial");
        assertThat(server.post("/api/chat/cancel", Map.of("stream_id", stopped)).status()).isEqualTo(200);
        server.awaitIdle(session);
        // A session turns idle in the ending's commit; the ending is counted just after it.
        await().atMost(WAIT).until(() -> {
            TestServer.Response r = server.get("/metrics");
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.contentType()).startsWith("text/plain");
            page = r.body();
            return value("tether_turn_duration_seconds_count{state=\"completed\"}") == 2
                    && value("tether_turn_duration_seconds_count{state=\"failed\"}") == 1
                    && value("tether_turn_duration_seconds_count{state=\"cancelled\"}") == 1;
        });
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void turnsStartedAndEndedByStateAreTheTurnsRun() {
        assertThat(value("tether_turns_started_total")).isEqualTo(4);
        assertThat(value("tether_turns_ended_total{state=\"completed\"}")).isEqualTo(2);
        assertThat(value("tether_turns_ended_total{state=\"failed\"}")).isEqualTo(1);
        assertThat(value("tether_turns_ended_total{state=\"cancelled\"}")).isEqualTo(1);
        assertThat(value("tether_turns_ended_total{state=\"interrupted\"}")).isEqualTo(0);
        assertThat(value("tether_turns_running")).isEqualTo(0);
        assertThat(value("tether_provider_errors_total{type=\"rate_limited\"}")).isEqualTo(1);
    }

    @Test
    void latenciesAreHistograms() {
        // Three turns said something (the failed one did not).
        assertThat(value("tether_turn_first_token_seconds_count")).isEqualTo(3);
        assertThat(value("tether_turn_first_token_seconds_bucket{le=\"+Inf\"}")).isEqualTo(3);
        assertThat(value("tether_relay_delay_seconds_count")).isGreaterThanOrEqualTo(2);
        assertThat(value("tether_journal_flush_seconds_count")).isGreaterThanOrEqualTo(1);
        assertThat(value("tether_journal_batch_events_sum")).isGreaterThanOrEqualTo(1);
        assertThat(value("tether_store_transaction_seconds_count{kind=\"write\"}")).isGreaterThanOrEqualTo(8);
        assertThat(value("tether_turn_duration_seconds_count{state=\"completed\"}")).isEqualTo(2);
    }

    @Test
    void subscribersAreCountedAndReleased() {
        assertThat(value("tether_subscribers{kind=\"turn\"}")).isEqualTo(0);
        try (SseTestClient.Connection feed = SseTestClient.open(server.baseUrl() + "/api/sessions/events", Map.of())) {
            feed.awaitEvents(1, WAIT);
            assertThat(value(server.get("/metrics").body(), "tether_subscribers{kind=\"sidebar\"}")).isEqualTo(1);
        }
    }

    @Test
    void jvmAndJettyMetersAreThere() {
        assertThat(page).contains("jvm_memory_used_bytes{", "jvm_threads_live_threads", "jvm_gc_",
                "jetty_connections_current", "jetty_threads_current", "process_uptime_seconds",
                "tether_sessions 1.0", "tether_login_failures_total{reason=\"refused\"} 0.0");
    }

    static double value(String series) {
        return value(page, series);
    }

    static double value(String text, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(text);
        assertThat(m.find()).as("series %s in the page", series).isTrue();
        return Double.parseDouble(m.group(1));
    }
}
