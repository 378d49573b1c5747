package dev.tether.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.support.Browser;
import dev.tether.support.ScriptedModel;
import dev.tether.support.TestServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/** The session list: renaming a row, and the list staying live afterwards. */
class SidebarPageTest {
    static final ScriptedModel model = ScriptedModel.autoReply("fine");
    @RegisterExtension
    static final OpenChatPage chat = OpenChatPage.on(model).newChatEachTest().noConsoleErrors();
    final TestServer server = chat.server();
    final Browser browser = chat.browser();
    final ChatPage page = chat.page();

    /** Issue 17 (3): the list skipped every update while a rename input existed and never drew again. */
    @Test
    void afterARenameTheListKeepsFollowingChanges() {
        String sessionId = server.newSession();
        server.post("/api/session/rename", Map.of("session_id", sessionId, "title", "Old name"));
        browser.await(d -> sidebarTitles().contains("Old name"));

        browser.js("document.querySelector(`.sl-row[data-id='${arguments[0]}'] .sl-more`).click()", sessionId);
        browser.click(".sl-menu:not([hidden]) [data-action=rename]");
        WebElement input = browser.find(".sl-row.is-renaming input.sl-rename");
        input.sendKeys(Keys.chord(Keys.CONTROL, "a"), "New name");
        input.sendKeys(Keys.ENTER);

        browser.await(d -> sidebarTitles().contains("New name"));
        assertThat(browser.findAll(".sl-rename")).isEmpty();
        server.awaitIdle(sessionId);
        assertThat(server.session(sessionId).path("title").asText()).isEqualTo("New name");

        // A session made elsewhere (another tab, the API) still shows up, and pinning still draws.
        String other = server.newSession();
        server.post("/api/session/rename", Map.of("session_id", other, "title", "Made elsewhere"));
        browser.await(d -> sidebarTitles().contains("Made elsewhere"));
        server.post("/api/session/update", Map.of("session_id", sessionId, "pinned", true));
        browser.await(d -> browser.<Boolean>js("""
                const t = document.querySelector('.sl-group:first-child .sl-group-title');
                return Boolean(t && t.innerText.trim().toLowerCase() === 'pinned')"""));
        browser.screenshot("sidebar-after-rename");
    }

    private List<String> sidebarTitles() {
        return browser.js("return [...document.querySelectorAll('.sl-row .sl-title')].map(t => t.innerText.trim())");
    }
}
