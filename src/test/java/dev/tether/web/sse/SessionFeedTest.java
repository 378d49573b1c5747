package dev.tether.web.sse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.session.EventPayloads;
import dev.tether.session.Session;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a session channel and a sidebar receive for each committed change, to the byte. */
class SessionFeedTest {
    static final Instant AT = Instant.parse("2025-01-01T10:00:00Z");
    static final Session SESSION = new Session("s1", "alice", "Trip \"plans\"", "m1", false, false, AT, AT, AT, "t9", 4, 2, 0, 0);
    /** The summary's own bytes are pinned by EventBytesTest; an update carries exactly it. */
    static final String SUMMARY = EventPayloads.write(EventPayloads.sessionSummary(SESSION));

    @Test
    void eachChangeIsOneEventPerListenerInOrder() {
        SessionFeed feed = new SessionFeed();
        List<FeedEvent> channel = new java.util.ArrayList<>();
        List<FeedEvent> sidebar = new java.util.ArrayList<>();
        feed.subscribeSession("s1", channel::add);
        feed.subscribeOwner("alice", sidebar::add);

        feed.turnStarted(SESSION, new dev.tether.session.Turn("t9", "s1", "alice", dev.tether.session.TurnState.RUNNING, null, 3, "m1", AT, null, null));
        feed.sessionUpdated(SESSION, "turn_started");
        feed.sessionDeleted("alice", "s1");

        assertThat(channel).containsExactly(
                new FeedEvent("turn_started", "{\"session_id\":\"s1\",\"stream_id\":\"t9\"}"),
                new FeedEvent("session_updated", SUMMARY),
                new FeedEvent("title", "{\"session_id\":\"s1\",\"title\":\"Trip \\\"plans\\\"\"}"),
                new FeedEvent("session_deleted", "{\"session_id\":\"s1\"}"));
        assertThat(sidebar).containsExactly(
                new FeedEvent("sessions_changed",
                        "{\"version\":1,\"reason\":\"turn_started\",\"session_id\":\"s1\"}"),
                new FeedEvent("sessions_changed", "{\"version\":2,\"reason\":\"deleted\",\"session_id\":\"s1\"}"));
    }

    @Test
    void aSidebarsFirstFrameNamesNoSession() {
        assertThat(FeedEvent.sessionsChanged(7, "initial", null))
                .isEqualTo(new FeedEvent("sessions_changed", "{\"version\":7,\"reason\":\"initial\"}"));
    }

    @Test
    void noListenerNoEvent() {
        SessionFeed feed = new SessionFeed();
        List<FeedEvent> other = new java.util.ArrayList<>();
        feed.subscribeSession("s2", other::add);
        Runnable unsubscribe = feed.subscribeSession("s1", e -> { });
        unsubscribe.run();

        feed.sessionUpdated(SESSION, "updated");

        assertThat(other).isEmpty();
        assertThat(feed.version()).isEqualTo(1);
    }
}
