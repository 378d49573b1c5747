package dev.tether.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tether.support.Cluster;
import dev.tether.support.SseTestClient;
import dev.tether.support.TestServer;
import dev.tether.support.UserClient;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Three instances on one PostgreSQL database, driven over HTTP as a load balancer without sticky
 * sessions would: a turn is started on one, streamed and resumed on others, stopped and deleted
 * through others; one instance is killed, another paused past its lease. Every guarantee of one
 * instance must hold: one active turn per session, exactly one terminal event, gapless replay.
 */
class ClusterTest {
    /** A dead instance's turns are taken over within a lease and a renewal round; the issue allows 15 s. */
    static final Duration TAKEOVER = Duration.ofSeconds(15);
    static final Duration WAIT = Duration.ofSeconds(60);

    static Cluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = Cluster.start(3);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aTurnStartedOnOneInstanceStreamsWholeOnTheOthersAndResumesOnAThird() {
        String session = newSession(0);
        String turn = start(0, session, "tell me about several instances");
        try (SseTestClient.Connection onB = stream(1, turn, Map.of());
             SseTestClient.Connection firstOnC = stream(2, turn, Map.of())) {
            firstOnC.awaitEvents(5, WAIT);
            firstOnC.close();
            List<SseTestClient.Frame> before = firstOnC.events();
            String resumeFrom = before.getLast().id();
            try (SseTestClient.Connection resumedOnC = stream(2, turn, Map.of("Last-Event-ID", resumeFrom))) {
                assertThat(onB.awaitEnd(WAIT)).as("B's stream ends").isTrue();
                assertThat(resumedOnC.awaitEnd(WAIT)).as("C's resumed stream ends").isTrue();
                assertWhole(onB.events(), "done");
                List<SseTestClient.Frame> joined = Stream.concat(before.stream(), resumedOnC.events().stream()).toList();
                assertThat(ids(joined)).as("C before and after its reconnect: the same events as B, once each")
                        .isEqualTo(ids(onB.events()));
            }
            try (SseTestClient.Connection replayOnA = stream(0, turn, Map.of())) {
                assertThat(replayOnA.awaitEnd(WAIT)).isTrue();
                assertThat(ids(replayOnA.events())).as("the owner's own replay").isEqualTo(ids(onB.events()));
            }
        }
    }

    @Test
    void aStopSentToAnotherInstanceEndsTheTurnWhereItRuns() throws Exception {
        String session = newSession(0);
        String turn = start(0, session, "a reply to stop from elsewhere");
        try (SseTestClient.Connection onC = stream(2, turn, Map.of());
             SseTestClient.Connection onA = stream(0, turn, Map.of())) {
            onC.awaitEvents(3, WAIT);
            JsonNode stopped = cluster.client(1).post("/api/chat/cancel", Map.of("stream_id", turn)).json();
            assertThat(stopped.path("cancelled").asBoolean()).as(stopped.toString()).isTrue();
            assertThat(onC.awaitEnd(TAKEOVER)).as("C's stream ends").isTrue();
            assertThat(onA.awaitEnd(TAKEOVER)).as("the owner's stream ends too").isTrue();
            assertWhole(onC.events(), "cancel");
            assertThat(ids(onA.events())).isEqualTo(ids(onC.events()));
            JsonNode again = cluster.client(2).post("/api/chat/cancel", Map.of("stream_id", turn)).json();
            assertThat(again.path("cancelled").asBoolean()).as("a second stop, on a third instance").isFalse();
        }
        JsonNode reply = sessionOn(0, session).path("messages").get(1);
        assertThat(reply.path("status").asText()).isEqualTo("stopped");
        assertThat(journalNames(turn)).as("nothing the owner wrote after the stop").endsWith("cancel")
                .filteredOn(n -> List.of("done", "cancel", "apperror").contains(n)).hasSize(1);
    }

    @Test
    void aDeleteSentToAnotherInstanceEndsTheTurnAndTheSessionEverywhere() {
        String session = newSession(0);
        String turn = start(0, session, "a reply whose chat is deleted elsewhere");
        try (SseTestClient.Connection onB = stream(1, turn, Map.of())) {
            onB.awaitEvents(3, WAIT);
            assertThat(cluster.client(2).post("/api/session/delete", Map.of("session_id", session)).status()).isEqualTo(200);
            assertThat(onB.awaitEnd(TAKEOVER)).as("B's stream ends").isTrue();
        }
        for (int i = 0; i < 3; i++) {
            assertThat(cluster.client(i).get("/api/session?session_id=" + session).status()).as("instance " + i).isEqualTo(404);
        }
        await().atMost(TAKEOVER).untilAsserted(() -> assertThat(runningTurns()).doesNotContain(turn));
    }

    @Test
    void twoStartsOnOneSessionThroughTwoInstancesGiveOneTurn() throws Exception {
        for (int round = 0; round < 5; round++) {
            String session = newSession(2);
            CyclicBarrier together = new CyclicBarrier(2);
            List<CompletableFuture<TestServer.Response>> starts = new ArrayList<>();
            for (int node : new int[] {0, 1}) {
                starts.add(CompletableFuture.supplyAsync(() -> {
                    arrive(together);
                    return cluster.client(node).post("/api/chat/start", Map.of("session_id", session,
                            "message", "from instance " + node));
                }));
            }
            List<Integer> statuses = starts.stream().map(CompletableFuture::join).map(TestServer.Response::status)
                    .sorted().toList();
            assertThat(statuses).as("round " + round).containsExactly(200, 409);
            assertThat(sessionOn(2, session).path("messages")).as("one user message").hasSize(1);
            cluster.client(2).post("/api/session/delete", Map.of("session_id", session));
        }
    }

    @Test
    void aKilledInstancesTurnEndsInterruptedOnTheOthersWithinFifteenSeconds() {
        String session = newSession(0);
        String turn = start(0, session, "a reply whose instance dies");
        try (SseTestClient.Connection onB = stream(1, turn, Map.of());
             SseTestClient.Connection onC = stream(2, turn, Map.of())) {
            onB.awaitEvents(5, WAIT);
            cluster.node(0).kill();
            long killedAt = System.nanoTime();
            assertThat(onB.awaitEnd(TAKEOVER)).as("B's stream ends within 15 s of the kill").isTrue();
            assertThat(onC.awaitEnd(TAKEOVER)).as("C's too").isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - killedAt)).isLessThan(TAKEOVER);
            assertWhole(onB.events(), "apperror");
            assertThat(onB.events().getLast().json().path("type").asText()).isEqualTo("interrupted");
            assertThat(ids(onC.events())).isEqualTo(ids(onB.events()));
        } finally {
            cluster.restart(0);
        }
        JsonNode reply = sessionOn(1, session).path("messages").get(1);
        assertThat(reply.path("status").asText()).isEqualTo("interrupted");
        assertThat(reply.path("content").asText()).as("the reply so far is kept").isNotEmpty();
    }

    @Test
    void aPausedInstanceIsFencedAndWritesNothingWhenItComesBack() throws Exception {
        String session = newSession(0);
        String turn = start(0, session, "a reply whose instance freezes");
        try (SseTestClient.Connection onB = stream(1, turn, Map.of())) {
            onB.awaitEvents(3, WAIT);
            cluster.node(0).pause();
            try {
                assertThat(onB.awaitEnd(TAKEOVER)).as("B's stream ends while A is frozen").isTrue();
                assertWhole(onB.events(), "apperror");
            } finally {
                cluster.node(0).resume();
            }
            List<String> takenOver = journalNames(turn);
            long epoch = epochOfInstanceThatRan(turn);
            await().atMost(WAIT).until(() -> currentEpoch(turn) > epoch); // A noticed, let go and registered again
            assertThat(cluster.client(0).get("/health").status()).as("A serves again").isEqualTo(200);
            assertThat(journalNames(turn)).as("nothing of A after the takeover").isEqualTo(takenOver);
            assertThat(ids(onB.events())).hasSize(takenOver.size());
            String next = start(0, session, "and now a new reply on A");
            try (SseTestClient.Connection onC = stream(2, next, Map.of())) {
                assertThat(onC.awaitEnd(WAIT)).isTrue();
                assertWhole(onC.events(), "done");
            }
        }
    }

    @Test
    void sessionListChangesOnOneInstanceReachSidebarsOnAnother() {
        try (SseTestClient.Connection sidebarOnB = SseTestClient.open(cluster.node(1).baseUrl() + "/api/sessions/events",
                Map.of())) {
            sidebarOnB.awaitEvents(1, WAIT);
            String session = newSession(0);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(sidebarOnB.events())
                    .anyMatch(e -> e.event().equals("sessions_changed") && e.data().contains(session)));
        }
    }

    @Test
    void anUploadThroughOneInstanceIsServedByTheOthers() throws Exception {
        String session = newSession(0);
        byte[] content = "notes shared by every instance".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        java.net.http.HttpResponse<String> upload = cluster.client(0).send(dev.tether.support.Multipart.upload(
                cluster.node(0).baseUrl(), session, "notes.txt", "text/plain", content));
        assertThat(upload.statusCode()).as(upload.body()).isEqualTo(200);
        String id = new com.fasterxml.jackson.databind.ObjectMapper().readTree(upload.body()).path("attachment_id").asText();
        for (int node : new int[] {1, 2}) {
            TestServer.Response served = cluster.client(node).get("/api/attachment?attachment_id=" + id);
            assertThat(served.status()).as("instance " + node).isEqualTo(200);
            assertThat(served.body()).isEqualTo("notes shared by every instance");
        }
    }

    // ---- helpers ----

    private static void assertWhole(List<SseTestClient.Frame> events, String terminal) {
        assertThat(events).isNotEmpty();
        for (int i = 0; i < events.size(); i++) {
            assertThat(events.get(i).seq()).as("gapless from 1").isEqualTo(i + 1);
        }
        assertThat(events).filteredOn(e -> List.of("done", "cancel", "apperror").contains(e.event()))
                .as("exactly one terminal event").singleElement().extracting(SseTestClient.Frame::event).isEqualTo(terminal);
    }

    private static List<String> ids(List<SseTestClient.Frame> events) {
        return events.stream().map(SseTestClient.Frame::id).toList();
    }

    private static SseTestClient.Connection stream(int node, String turn, Map<String, String> headers) {
        return SseTestClient.open(cluster.node(node).baseUrl() + "/api/chat/stream?stream_id=" + turn, headers);
    }

    private static String newSession(int node) {
        return cluster.client(node).post("/api/session/new", Map.of()).json().path("session").path("session_id").asText();
    }

    private static String start(int node, String session, String message) {
        TestServer.Response r = cluster.client(node).post("/api/chat/start", Map.of("session_id", session, "message", message));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json().path("stream_id").asText();
    }

    private static JsonNode sessionOn(int node, String session) {
        UserClient c = cluster.client(node);
        TestServer.Response r = c.get("/api/session?session_id=" + session + "&messages=1");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json().path("session");
    }

    private static void arrive(CyclicBarrier barrier) {
        try {
            barrier.await();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> journalNames(String turn) throws SQLException {
        return query("SELECT j.name FROM turn_journal j JOIN turns t ON t.journal_key = j.turn_key WHERE t.id = ?"
                + " ORDER BY j.seq", turn);
    }

    private static List<String> runningTurns() throws SQLException {
        return query("SELECT id FROM turns WHERE state = 'running' AND ? <> ''", "x");
    }

    private static long epochOfInstanceThatRan(String turn) throws SQLException {
        return Long.parseLong(query("SELECT instance_epoch::text FROM turns WHERE id = ?", turn).getFirst());
    }

    private static long currentEpoch(String turn) throws SQLException {
        return Long.parseLong(query("SELECT i.epoch::text FROM instances i JOIN turns t ON t.instance_id = i.id"
                + " WHERE t.id = ? AND i.lease_until IS NOT NULL", turn).stream().findFirst().orElse("-1"));
    }

    private static List<String> query(String sql, String param) throws SQLException {
        try (Connection c = DriverManager.getConnection(cluster.database().jdbcUrl(), "postgres", null);
             PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, param);
            List<String> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        }
    }
}
