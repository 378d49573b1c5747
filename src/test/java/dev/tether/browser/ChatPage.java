package dev.tether.browser;

import dev.tether.support.Browser;
import dev.tether.support.TestServer;
import java.nio.file.Path;
import java.util.List;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/**
 * What a user sees and does on Tether's page, in the words of the UI: send, stop, the messages
 * with their text and status, the queue, Retry. Selectors live here only, so the tests read as
 * behaviour.
 */
final class ChatPage {
    static final String INPUT = "t-composer textarea.cmp-input";

    private final Browser browser;
    private final TestServer server;

    ChatPage(Browser browser, TestServer server) {
        this.browser = browser;
        this.server = server;
    }

    Browser browser() {
        return browser;
    }

    /** Opens the page on a new chat. */
    void openNewChat() {
        browser.open(server.baseUrl() + "/");
        browser.await(d -> browser.js("return location.hash === ''"));
    }

    void openSession(String sessionId) {
        browser.open(server.baseUrl() + "/#" + sessionId);
        browser.await(d -> browser.js("return !document.querySelector('.tr-loading:not([hidden])')"));
    }

    void reload() {
        browser.driver().navigate().refresh();
        browser.waitForApp();
    }

    /** Types into the composer and presses Enter. */
    void send(String text) {
        WebElement input = browser.find(INPUT);
        input.sendKeys(text);
        input.sendKeys(Keys.ENTER);
    }

    /** The session in the URL once the first send created it. */
    String awaitSessionId() {
        return browser.await(d -> {
            String id = browser.js("return decodeURIComponent(location.hash.slice(1))");
            return id.isEmpty() ? null : id;
        });
    }

    void stop() {
        browser.find("t-composer .cmp-stop:not([hidden])").click();
    }

    boolean stopShown() {
        return browser.js("return !document.querySelector('t-composer .cmp-stop').hidden");
    }

    /** The visible text of every message, oldest first, as "role: text". */
    List<String> transcript() {
        return browser.js("""
                return [...document.querySelectorAll('t-transcript t-message')].map(m =>
                  m.dataset.role + ': ' + m.querySelector('.msg-body').innerText.trim())""");
    }

    /** The last reply's text; empty while there is none yet (a wait on it then simply goes on). */
    String lastReplyText() {
        return browser.js("""
                const m = [...document.querySelectorAll('t-message[data-role=assistant]')].at(-1);
                const body = m && m.querySelector('.msg-body');
                return body ? body.innerText.trim() : ''""");
    }

    /** data-status of the last reply: streaming, done, stopped, interrupted, error. */
    String lastReplyStatus() {
        return browser.js("""
                const m = [...document.querySelectorAll('t-message[data-role=assistant]')].at(-1);
                return m ? m.dataset.status : null""");
    }

    void awaitReply(String text, String status) {
        awaitLastReply(text + " (" + status + ")", () -> text.equals(lastReplyText()) && status.equals(lastReplyStatus()));
    }

    void awaitReplyText(String text) {
        awaitLastReply(text, () -> text.equals(lastReplyText()));
    }

    void awaitReplyStatus(String status) {
        awaitLastReply("status " + status, () -> status.equals(lastReplyStatus()));
    }

    private void awaitLastReply(String expected, java.util.function.BooleanSupplier condition) {
        try {
            browser.await(d -> condition.getAsBoolean());
        } catch (org.openqa.selenium.TimeoutException e) {
            throw new AssertionError("expected the last reply to be " + expected + " but it is "
                    + lastReplyText() + " (" + lastReplyStatus() + ")\ntranscript: " + transcript()
                    + "\nconsole: " + browser.console());
        }
    }

    List<String> queuedTexts() {
        return browser.js("""
                return [...document.querySelectorAll('t-transcript .tr-queued:not([hidden]) .tr-queued-text')]
                  .map(q => q.innerText.trim())""");
    }

    /** Opens the editor on user message {@code userOrdinal} (0 = first), replaces its text and sends. */
    void editUserMessage(int userOrdinal, String newText) {
        WebElement message = browser.findAll("t-message[data-role=user]").get(userOrdinal);
        new org.openqa.selenium.interactions.Actions(browser.driver()).moveToElement(message).perform();
        message.findElement(org.openqa.selenium.By.cssSelector("button[data-action=edit]")).click();
        WebElement area = browser.find("t-message .msg-edit textarea");
        area.sendKeys(Keys.chord(Keys.CONTROL, "a"), newText);
        area.sendKeys(Keys.ENTER);
    }

    /** Clicks Retry on the last reply's notice. */
    void retry() {
        browser.find("t-message[data-role=assistant]:last-of-type button[data-action=retry]").click();
    }

    /** Attaches files through the composer's file input, as the Attach button's dialog would. */
    void attach(Path file) {
        WebElement input = browser.find("t-composer input.cmp-file");
        browser.js("arguments[0].hidden = false", input);
        input.sendKeys(file.toAbsolutePath().toString());
        browser.js("arguments[0].hidden = true", input);
    }

    void awaitDraftsReady(int count) {
        browser.await(d -> browser.<Long>js("""
                return document.querySelectorAll('t-composer .cmp-draft:not(.is-uploading)').length""") == count);
    }

    /** True when the document is not wider than the viewport (no horizontal scrolling). */
    boolean fitsViewportWidth() {
        return browser.js("return document.documentElement.scrollWidth <= window.innerWidth");
    }
}
