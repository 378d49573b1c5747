package dev.tether.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tether.support.Browser;
import dev.tether.support.ScriptedModel;
import dev.tether.support.TestServer;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A reply cut short by a server restart is marked interrupted with a Retry that works. */
class InterruptedReplyPageTest {
    static final Duration CALL = Duration.ofSeconds(10);

    static final ScriptedModel model = ScriptedModel.manual();
    @RegisterExtension
    static final OpenChatPage chat = OpenChatPage.on(model);
    final TestServer server = chat.server();
    final Browser browser = chat.browser();
    final ChatPage page = chat.page();

    @Test
    void aReplyInterruptedByARestartOffersRetryAndRetryReplacesIt() {
        page.openNewChat();
        page.send("Explain recursion");
        ScriptedModel.Call hanging = model.nextCall(CALL);
        hanging.emit("Recursion is when");
        page.awaitReply("Recursion is when", "streaming");
        String sessionId = page.awaitSessionId();

        server.restartOnSamePort(); // the model call never returns; shutdown ends the turn interrupted

        // The open page reconnects by itself and learns the ending.
        page.awaitReply("Recursion is when", "interrupted");
        assertThat(browser.text("t-message[data-role=assistant] .notice-warn")).contains("Interrupted");
        browser.await(d -> !page.stopShown());
        // Dropped and refused connections while the server was down are expected here; nothing else is.
        assertThat(browser.consoleErrors()).allMatch(e -> e.contains("Failed to load resource: net::ERR_"));
        browser.clearConsole();
        browser.screenshot("interrupted");

        page.reload(); // and a fresh page shows the same
        page.awaitReply("Recursion is when", "interrupted");
        JsonNode saved = server.messages(sessionId).getLast();
        assertThat(saved.path("status").asText()).isEqualTo("interrupted");

        page.retry();
        ScriptedModel.Call retried = model.nextCall(CALL);
        assertThat(retried.lastUserMessage()).isEqualTo("Explain recursion");
        retried.emit("Recursion is a function calling itself.").finish();

        page.awaitReply("Recursion is a function calling itself.", "done");
        assertThat(browser.findAll("t-message .notice-warn")).isEmpty();
        assertThat(page.transcript()).containsExactly(
                "user: Explain recursion", "assistant: Recursion is a function calling itself.");
        server.awaitIdle(sessionId);
        assertThat(server.messages(sessionId)).extracting(m -> m.path("content").asText())
                .containsExactly("Explain recursion", "Recursion is a function calling itself.");
        browser.assertNoConsoleErrors();
    }
}
