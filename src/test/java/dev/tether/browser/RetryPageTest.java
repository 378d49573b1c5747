package dev.tether.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.model.ModelException;
import dev.tether.support.Browser;
import dev.tether.support.ScriptedModel;
import dev.tether.support.TestServer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Issue 17 (1): a Retry acts on the reply it is shown on, never on a newer one. */
class RetryPageTest {
    static final Duration CALL = Duration.ofSeconds(10);
    static final ScriptedModel model = ScriptedModel.manual();
    @RegisterExtension
    static final OpenChatPage chat = OpenChatPage.on(model).newChatEachTest().noConsoleErrors();
    final TestServer server = chat.server();
    final Browser browser = chat.browser();
    final ChatPage page = chat.page();

    @Test
    void anOldErrorOffersNoRetryAndTheLastRepliesRetryNamesIt() {
        page.send("x");
        model.nextCall(CALL).fail(new ModelException("upstream", "The model failed.", "Try again later."));
        page.awaitReplyStatus("error");
        String sessionId = page.awaitSessionId();
        server.awaitIdle(sessionId);
        for (String text : List.of("one", "two")) {
            page.send(text);
            model.nextCall(CALL).echo();
            page.awaitReply("re:" + text, "done");
            server.awaitIdle(sessionId);
        }

        // The old error card keeps its message but no longer offers a Retry that would replace "re:two".
        assertThat(browser.text("t-message[data-role=assistant] .notice-error")).contains("The model failed.");
        assertThat(browser.findAll("t-message button[data-action=retry]")).isEmpty();
        browser.screenshot("old-error-without-retry");

        // The last reply's regenerate names the reply it replaces.
        browser.js("""
                window.__starts = [];
                const original = window.fetch;
                window.fetch = (url, init) => {
                  if (String(url).includes('/api/chat/start')) window.__starts.push(JSON.parse(init.body));
                  return original(url, init);
                };""");
        browser.js("const b = [...document.querySelectorAll('t-message button[data-action=regenerate]')];"
                + "b.at(-1).click()");
        ScriptedModel.Call again = model.nextCall(CALL);
        assertThat(again.lastUserMessage()).isEqualTo("two");
        again.emit("two again").finish();
        page.awaitReply("two again", "done");
        assertThat(browser.<Long>js("return window.__starts[0].reply_index")).isEqualTo(5L);
        server.awaitIdle(sessionId);
        assertThat(server.messages(sessionId)).extracting(m -> m.path("content").asText())
                .containsExactly("x", "", "one", "re:one", "two", "two again");
    }

    /** Issue 17 (9): the hint under an error ("Try again later.") was gone after a reload. */
    @Test
    void anErrorCardKeepsItsHintAfterAReload() {
        page.send("fail please");
        model.nextCall(CALL).fail(new ModelException("upstream", "The model failed.", "Try again later."));
        page.awaitReplyStatus("error");
        assertThat(browser.text("t-message[data-role=assistant] .notice-hint")).isEqualTo("Try again later.");
        server.awaitIdle(page.awaitSessionId());

        page.reload();
        page.awaitReplyStatus("error");
        assertThat(browser.text("t-message[data-role=assistant] .notice-error strong")).isEqualTo("The model failed.");
        assertThat(browser.text("t-message[data-role=assistant] .notice-hint")).isEqualTo("Try again later.");
        browser.screenshot("error-hint-after-reload");
    }
}
