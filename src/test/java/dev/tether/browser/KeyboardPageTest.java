package dev.tether.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.support.Browser;
import dev.tether.support.ScriptedModel;
import dev.tether.support.TestServer;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.interactions.Actions;

/** Issue 17 (11, part): keyboard and screen-reader use — skip link, menu arrow keys, the end of a reply announced. */
class KeyboardPageTest {
    static final Duration CALL = Duration.ofSeconds(10);
    static final ScriptedModel model = ScriptedModel.manual();
    @RegisterExtension
    static final OpenChatPage chat = OpenChatPage.on(model).newChatEachTest().noConsoleErrors();
    final TestServer server = chat.server();
    final Browser browser = chat.browser();
    final ChatPage page = chat.page();

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

    /** Issue 17 (11): faint text (timestamps, sidebar group titles) was 3.2:1 and 2.98:1; AA needs 4.5:1. */
    @Test
    void faintTextReachesFourAndAHalfToOneInLightAndDark() {
        page.send("Contrast");
        model.nextCall(CALL).emit("Reply").finish();
        page.awaitReply("Reply", "done");
        try {
            for (String scheme : new String[] {"light", "dark"}) {
                browser.colorScheme(scheme);
                double worst = browser.<Number>js("""
                        const rgb = (s) => s.match(/[\\d.]+/g).slice(0, 3).map(Number);
                        const lum = ([r, g, b]) => [r, g, b].map((v) => { v /= 255;
                          return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; })
                          .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
                        const background = (el) => { for (let e = el; e; e = e.parentElement) {
                          const c = getComputedStyle(e).backgroundColor;
                          if (c && !c.startsWith('rgba(0, 0, 0, 0)') && c !== 'transparent') return rgb(c); }
                          return [255, 255, 255]; };
                        const ratio = (el) => { const a = lum(rgb(getComputedStyle(el).color)), b = lum(background(el));
                          return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05); };
                        const nodes = [...document.querySelectorAll('.sl-group-title, t-message time')];
                        if (nodes.length < 2) return 0;
                        return Math.min(...nodes.map(ratio));""").doubleValue();
                assertThat(worst).as("lowest contrast of faint text, %s", scheme).isGreaterThanOrEqualTo(4.5);
            }
        } finally {
            browser.colorScheme("light");
        }
    }

    /** Issue 17 (11): message actions were 28 px squares on phones too. */
    @Test
    void onATouchScreenMessageActionsAreAtLeastFortyPixels() {
        page.send("Touch");
        model.nextCall(CALL).emit("Reply").finish();
        page.awaitReply("Reply", "done");
        browser.driver().executeCdpCommand("Emulation.setTouchEmulationEnabled", Map.of("enabled", true, "maxTouchPoints", 1));
        try {
            browser.await(d -> browser.<Boolean>js("return matchMedia('(pointer: coarse)').matches"));
            assertThat(browser.<Number>js("return Math.min(...[...document.querySelectorAll('t-message .msg-actions .icon-btn')]"
                    + ".map(b => Math.min(b.getBoundingClientRect().width, b.getBoundingClientRect().height)))").doubleValue())
                    .isGreaterThanOrEqualTo(40);
        } finally {
            browser.driver().executeCdpCommand("Emulation.setTouchEmulationEnabled", Map.of("enabled", false));
        }
    }

    private String focusedAction() {
        return browser.js("return document.activeElement?.dataset?.action ?? null");
    }

    private String announcement() {
        return browser.js("return document.querySelector('.shell-announce').textContent");
    }

    /** Issue 17 (what users expect): shortcuts for new chat, search, the message box and copying, listed by "?". */
    @Test
    void shortcutsDoWhatTheQuestionMarkSheetSays() {
        page.send("Copy me");
        model.nextCall(CALL).emit("The reply to copy.").finish();
        page.awaitReply("The reply to copy.", "done");
        String session = page.awaitSessionId();
        Keys mod = Keys.CONTROL;

        browser.js("document.activeElement.blur()");
        new Actions(browser.driver()).sendKeys("?").perform();
        browser.await(d -> browser.<Boolean>js("return document.querySelector('dialog.shortcuts').open"));
        assertThat(browser.text("dialog.shortcuts")).contains("New chat", "Search conversations", "Focus the message box",
                "Copy the last reply", "Stop the reply");
        browser.screenshot("shortcuts-sheet");
        new Actions(browser.driver()).sendKeys(Keys.ESCAPE).perform();
        browser.await(d -> !browser.<Boolean>js("return document.querySelector('dialog.shortcuts').open"));

        // "?" typed in the message box is text, not a command.
        browser.find("t-composer textarea").sendKeys("why?");
        assertThat(browser.<Boolean>js("return document.querySelector('dialog.shortcuts').open")).isFalse();
        browser.js("const t = document.querySelector('t-composer textarea'); t.value = ''; t.dispatchEvent(new Event('input'))");

        new Actions(browser.driver()).keyDown(mod).sendKeys("k").keyUp(mod).perform();
        browser.await(d -> browser.<Boolean>js("return document.activeElement.classList.contains('sl-query')"));
        new Actions(browser.driver()).keyDown(Keys.SHIFT).sendKeys(Keys.ESCAPE).keyUp(Keys.SHIFT).perform();
        browser.await(d -> browser.<Boolean>js("return document.activeElement.classList.contains('cmp-input')"));

        browser.js("""
                window.__copied = null;
                navigator.clipboard.writeText = (text) => { window.__copied = text; return Promise.resolve(); };""");
        browser.js("document.activeElement.blur()");
        new Actions(browser.driver()).keyDown(mod).keyDown(Keys.SHIFT).sendKeys("c").keyUp(Keys.SHIFT).keyUp(mod).perform();
        browser.await(d -> "The reply to copy.".equals(browser.js("return window.__copied")));

        new Actions(browser.driver()).keyDown(mod).keyDown(Keys.SHIFT).sendKeys("o").keyUp(Keys.SHIFT).keyUp(mod).perform();
        browser.await(d -> browser.<Long>js("return document.querySelectorAll('t-message').length") == 0);
        assertThat(browser.<String>js("return location.hash")).doesNotContain(session);
        assertThat(browser.<Boolean>js("return document.activeElement.classList.contains('cmp-input')")).isTrue();
    }
}
