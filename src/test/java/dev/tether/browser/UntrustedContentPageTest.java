package dev.tether.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.support.Browser;
import dev.tether.support.ScriptedModel;
import dev.tether.support.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Script in a reply, a user message, a session title or a file name is shown as text and never
 * runs (scenario 36). Each payload would set {@code window.__xss}; the flag must stay unset and
 * no element may carry an event-handler attribute or be a script the payload injected.
 */
class UntrustedContentPageTest {
    static final String REPLY = "Look: <img src=x onerror=\"window.__xss='reply-img'\"> then "
            + "<script>window.__xss='reply-script'</script> and "
            + "[a link](javascript:window.__xss='reply-link') and <svg onload=\"window.__xss='reply-svg'\"></svg> done.";
    static final String TITLE = "<img src=x onerror=\"window.__xss='title'\">Title";
    static final String USER = "<script>window.__xss='user'</script><b onmouseover=\"window.__xss='user-b'\">hi</b>";
    static final String FILE_NAME = "<img src=x onerror=window.__xss=7>.txt";

    @RegisterExtension
    static final OpenChatPage chat = OpenChatPage.on(
            ScriptedModel.autoReply(REPLY.substring(0, 20), REPLY.substring(20, 70), REPLY.substring(70)));
    final TestServer server = chat.server();
    final Browser browser = chat.browser();
    final ChatPage page = chat.page();

    @AfterEach
    void nothingRan() {
        assertThat(browser.<Object>js("return window.__xss ?? null")).isNull();
        assertThat(browser.<Long>js("""
                return [...document.querySelectorAll('t-app *, body > *:not(script)')].filter(el =>
                  [...el.attributes].some(a => a.name.startsWith('on')) || el.tagName === 'SCRIPT'
                  || (el.tagName === 'A' && /^\\s*javascript:/i.test(el.getAttribute('href') ?? ''))).length""")).isZero();
        browser.assertNoConsoleErrors();
    }

    @Test
    void markupInAReplyAndInAUserMessageIsShownAsText() {
        page.openNewChat();
        page.send(USER);
        page.awaitReplyStatus("done");

        assertThat(page.lastReplyText()).contains("<img src=x onerror=", "<script>window.__xss='reply-script'</script>", "a link");
        assertThat(page.transcript().getFirst()).isEqualTo("user: " + USER);
        page.reload(); // the stored copy renders the same way
        page.awaitReplyStatus("done");
        assertThat(page.lastReplyText()).contains("<img src=x onerror=");
    }

    @Test
    void markupInASessionTitleIsShownAsText() {
        String sessionId = server.newSession();
        server.post("/api/session/rename", Map.of("session_id", sessionId, "title", TITLE));

        page.openSession(sessionId);

        browser.await(d -> browser.<List<String>>js(
                "return [...document.querySelectorAll('t-session-list .sl-title')].map(t => t.textContent)").contains(TITLE));
        assertThat(browser.text("t-app .shell-title")).isEqualTo(TITLE);
        assertThat(browser.driver().getTitle()).startsWith(TITLE);
        browser.click("t-session-list .sl-row.is-current .sl-more");
        browser.click(".sl-menu:not([hidden]) [data-action=delete]");
        assertThat(browser.text("dialog[open] p")).contains(TITLE);
        browser.click("dialog[open] .btn[value=cancel]");
    }

    @Test
    void markupInAFileNameIsShownAsText() throws Exception {
        Path file = Files.createTempDirectory("tether-xss").resolve(FILE_NAME);
        Files.writeString(file, "harmless text");
        page.openNewChat();

        page.attach(file);
        page.awaitDraftsReady(1);
        assertThat(browser.text("t-composer .cmp-draft-name")).isEqualTo(FILE_NAME);
        page.send("see the file");
        page.awaitReplyStatus("done");

        assertThat(browser.text("t-message[data-role=user] .att-file .att-name")).isEqualTo(FILE_NAME);
    }
}
