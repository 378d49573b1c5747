package dev.tether.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.support.Browser;
import dev.tether.support.ScriptedModel;
import dev.tether.support.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A reply survives the page: a reload mid-reply shows the text so far at once and continues it
 * with nothing lost or doubled, and a second window on the session follows a reply it did not start.
 */
class ReattachPageTest {
    static final Duration CALL = Duration.ofSeconds(10);

    static final ScriptedModel model = ScriptedModel.manual();
    @RegisterExtension
    static final OpenChatPage chat = OpenChatPage.on(model).noConsoleErrors();
    final TestServer server = chat.server();
    final Browser browser = chat.browser();
    final ChatPage page = chat.page();

    /** Words w00 w01 ... : plain text, so the rendered reply equals the stored one character for character. */
    static List<String> words(int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> (i == 0 ? "" : " ") + "w%02d".formatted(i)).toList();
    }

    @Test
    void aReloadMidReplyShowsTheTextSoFarAtOnceAndEndsEqualToTheServerTranscript() {
        page.openNewChat();
        page.send("Count for me");
        ScriptedModel.Call call = model.nextCall(CALL);
        List<String> sent = new ArrayList<>();
        for (String w : words(0, 20)) {
            call.emit(w);
            sent.add(w);
        }
        page.awaitReplyText(String.join("", sent));
        String sessionId = page.awaitSessionId();

        page.reload();
        page.awaitReply(String.join("", sent), "streaming");
        assertThat(page.transcript().getFirst()).isEqualTo("user: Count for me");

        for (String w : words(20, 45)) {
            call.emit(w);
            sent.add(w);
        }
        page.awaitReplyText(String.join("", sent));
        page.reload(); // a second reload, now with the cursor well into the reply
        for (String w : words(45, 60)) {
            call.emit(w);
            sent.add(w);
        }
        call.finish();

        String expected = String.join("", sent);
        page.awaitReply(expected, "done");
        server.awaitIdle(sessionId);
        String stored = server.messages(sessionId).getLast().path("content").asText();
        assertThat(stored).isEqualTo(expected);
        assertThat(page.lastReplyText()).isEqualTo(stored);
        assertThat(page.transcript()).containsExactly("user: Count for me", "assistant: " + stored);
    }

    @Test
    void aSecondWindowOnTheSessionFollowsAReplyStartedInTheFirst() {
        String sessionId = server.newSession();
        page.openSession(sessionId);
        String first = browser.driver().getWindowHandle();
        String second = browser.openWindow(server.baseUrl() + "/#" + sessionId);
        ChatPage other = new ChatPage(browser, server);
        try {
            browser.switchTo(first);
            page.send("Hello from the first window");
            ScriptedModel.Call call = model.nextCall(CALL);
            call.emit("Hello");

            browser.switchTo(second);
            other.awaitReply("Hello", "streaming");
            assertThat(other.transcript().getFirst()).isEqualTo("user: Hello from the first window");

            call.emit(" to both");
            call.emit(" windows.");
            call.finish();
            other.awaitReply("Hello to both windows.", "done");
            browser.switchTo(first);
            page.awaitReply("Hello to both windows.", "done");
            server.awaitIdle(sessionId);
            String stored = server.messages(sessionId).getLast().path("content").asText();
            assertThat(stored).isEqualTo("Hello to both windows.");

            browser.switchTo(second);
            assertThat(other.transcript()).containsExactly(
                    "user: Hello from the first window", "assistant: Hello to both windows.");
            browser.assertNoConsoleErrors();
        } finally {
            browser.switchTo(second);
            browser.driver().close();
            browser.switchTo(first);
        }
    }

}
