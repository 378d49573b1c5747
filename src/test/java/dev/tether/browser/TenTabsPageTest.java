package dev.tether.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.support.Browser;
import dev.tether.support.ScriptedModel;
import dev.tether.support.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 17 (2): Chromium allows six connections per host over HTTP/1.1, and each tab held two
 * live streams, so the fourth tab's page never loaded. All tabs now share one connection.
 */
class TenTabsPageTest {
    static final Duration CALL = Duration.ofSeconds(10);
    static final int TABS = 10;
    static final ScriptedModel model = ScriptedModel.manual();
    @RegisterExtension
    static final OpenChatPage chat = OpenChatPage.on(model).noConsoleErrors();
    final TestServer server = chat.server();
    final Browser browser = chat.browser();
    final ChatPage page = chat.page();

    @Test
    void tenTabsOnPlainHttpAllLoadAndSeeTheReplyEndAfterTheFirstTabCloses() {
        assertThat(server.baseUrl()).startsWith("http://127.0.0.1:");
        page.openNewChat();
        String first = browser.driver().getWindowHandle();
        page.send("hello");
        ScriptedModel.Call call = model.nextCall(CALL);
        call.emit("Part one");
        page.awaitReplyText("Part one");
        String sessionId = page.awaitSessionId();

        List<String> others = new ArrayList<>();
        for (int i = 1; i < TABS; i++) {
            others.add(browser.openWindow(server.baseUrl() + "/#" + sessionId)); // waits for the page to load
            page.awaitReply("Part one", "streaming");
        }
        browser.screenshot("ten-tabs-streaming");

        // The tab that opened the shared connection goes away mid-reply.
        browser.switchTo(first);
        browser.assertNoConsoleErrors();
        browser.driver().close();
        call.emit(" and part two").finish();

        for (String tab : others) {
            browser.switchTo(tab);
            page.awaitReply("Part one and part two", "done");
            assertThat(page.transcript()).containsExactly("user: hello", "assistant: Part one and part two");
        }
        browser.screenshot("ten-tabs-done");

        // A new message from the last tab reaches every other one.
        page.send("again");
        model.nextCall(CALL).emit("second reply").finish();
        for (String tab : others) {
            browser.switchTo(tab);
            page.awaitReply("second reply", "done");
        }
        browser.switchTo(others.getFirst());
        browser.driver().close();
        browser.switchTo(others.get(1));
    }
}
