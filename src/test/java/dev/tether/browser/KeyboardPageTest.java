package dev.tether.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.support.Browser;
import dev.tether.support.ScriptedModel;
import dev.tether.support.TestServer;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.interactions.Actions;

/** Issue 17 (11, part): keyboard and screen-reader use — skip link, menu arrow keys, the end of a reply announced. */
class KeyboardPageTest {
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

    @Test
    void theFirstTabStopSkipsToTheMessageBox() {
        // Focus starts from the top of the page, as after a fresh load with nothing focused.
        browser.js("document.body.tabIndex = -1; document.body.focus(); document.body.removeAttribute('tabindex')");
        new Actions(browser.driver()).sendKeys(Keys.TAB).perform();
        assertThat(browser.<String>js("return document.activeElement.className")).isEqualTo("skip-link");
        browser.screenshot("skip-link");
        new Actions(browser.driver()).sendKeys(Keys.ENTER).perform();
        browser.await(d -> browser.<Boolean>js("return document.activeElement.classList.contains('cmp-input')"));
        assertThat(browser.<String>js("return location.hash")).isEmpty();
    }

    @Test
    void theSessionMenuMovesFocusWithTheArrowKeys() {
        String sessionId = server.newSession();
        server.post("/api/session/rename", Map.of("session_id", sessionId, "title", "Menu test"));
        browser.await(d -> browser.<Boolean>js("return Boolean(document.querySelector(`.sl-row[data-id='${arguments[0]}']`))", sessionId));
        browser.js("document.querySelector(`.sl-row[data-id='${arguments[0]}'] .sl-more`).click()", sessionId);
        browser.await(d -> "rename".equals(focusedAction()));
        new Actions(browser.driver()).sendKeys(Keys.ARROW_DOWN).perform();
        assertThat(focusedAction()).isEqualTo("pin");
        new Actions(browser.driver()).sendKeys(Keys.END).perform();
        assertThat(focusedAction()).isEqualTo("delete");
        new Actions(browser.driver()).sendKeys(Keys.ARROW_DOWN).perform();
        assertThat(focusedAction()).isEqualTo("rename");
        new Actions(browser.driver()).sendKeys(Keys.ARROW_UP).perform();
        assertThat(focusedAction()).isEqualTo("delete");
        new Actions(browser.driver()).sendKeys(Keys.ESCAPE).perform();
    }

    @Test
    void theEndOfAReplyIsAnnouncedButNotItsTokens() {
        page.send("Hi");
        var call = model.nextCall(CALL);
        call.emit("Hel").emit("lo");
        page.awaitReply("Hello", "streaming");
        assertThat(announcement()).isEmpty();
        call.finish();
        page.awaitReply("Hello", "done");
        browser.await(d -> "Reply finished.".equals(announcement()));
        assertThat(browser.<String>js("return document.querySelector('.shell-announce').getAttribute('aria-live')"))
                .isEqualTo("polite");
    }

    private String focusedAction() {
        return browser.js("return document.activeElement?.dataset?.action ?? null");
    }

    private String announcement() {
        return browser.js("return document.querySelector('.shell-announce').textContent");
    }
}
