package dev.tether.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.model.ModelDelta;
import dev.tether.support.Browser;
import dev.tether.support.ScriptedModel;
import dev.tether.support.TestServer;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What the reader sees while a reply streams in. */
class StreamingPageTest {
    static final Duration CALL = Duration.ofSeconds(10);
    static final ScriptedModel model = ScriptedModel.manual();
    @RegisterExtension
    static final OpenChatPage chat = OpenChatPage.on(model);
    final TestServer server = chat.server();
    final Browser browser = chat.browser();
    final ChatPage page = chat.page();

    @BeforeEach
    void newChat() {
        page.openNewChat();
    }

    @AfterEach
    void noConsoleErrors() {
        browser.assertNoConsoleErrors();
    }

    /** Issue 17 (7): with reasoning and text in different frames the label kept saying "Thinking…". */
    @Test
    void thinkingStopsWhenTheAnswerStarts() {
        page.send("Think first");
        ScriptedModel.Call call = model.nextCall(CALL);
        call.emit(new ModelDelta.Reasoning("Weighing the options"));
        browser.await(d -> "Thinking…".equals(reasoningLabel()));
        assertThat(browser.<Boolean>js("return document.querySelector('t-message[data-role=assistant] .msg-reasoning').classList.contains('is-thinking')"))
                .isTrue();
        browser.screenshot("thinking");

        call.emit("The answer");
        page.awaitReply("The answer", "streaming");
        browser.await(d -> "Reasoning".equals(reasoningLabel()));
        assertThat(browser.<Boolean>js("return document.querySelector('t-message[data-role=assistant] .msg-reasoning').classList.contains('is-thinking')"))
                .isFalse();
        call.finish();
        page.awaitReply("The answer", "done");
    }

    private String reasoningLabel() {
        return browser.js("const l = document.querySelector('t-message[data-role=assistant] .msg-reasoning-label'); return l ? l.textContent : null");
    }
}
