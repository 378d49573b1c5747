package dev.tether.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.support.Browser;
import dev.tether.support.ScriptedModel;
import dev.tether.support.TestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.WebElement;

/**
 * Issue 17 (10): what a send, an upload and an import say — a "Sending…" cue, then "Not sent" once;
 * an oversize file refused before it is sent, in the limit's unit; a bad import file named as such;
 * an imported copy marked; message actions that take no room while hidden; a visible "Reconnecting…".
 */
class SendingAndFilesPageTest {
    static final long LIMIT = 1024 * 1024;
    static final ScriptedModel model = ScriptedModel.autoReply("Fine.");
    @RegisterExtension
    static final OpenChatPage chat = OpenChatPage.on(model, Map.of("TETHER_MAX_UPLOAD_BYTES", String.valueOf(LIMIT)))
            .newChatEachTest();
    final TestServer server = chat.server();
    final Browser browser = chat.browser();
    final ChatPage page = chat.page();

    @Test
    void anOfflineSendSaysSendingThenNotSentOnceWithoutAToast() {
        page.send("First, online");
        page.awaitReply("Fine.", "done");
        browser.driver().executeCdpCommand("Network.enable", Map.of());
        browser.driver().executeCdpCommand("Network.emulateNetworkConditions", Map.of("offline", true, "latency", 0,
                "downloadThroughput", -1, "uploadThroughput", -1));
        try {
            page.send("Sent while offline");
            assertThat(browser.text("t-message[data-role=user]:last-of-type .msg-sending")).isEqualTo("Sending…");
            browser.screenshot("send-offline-sending");
            browser.await(Duration.ofSeconds(15), d -> browser.<Boolean>js(
                    "return Boolean(document.querySelector('t-message[data-status=failed] .notice-error'))"));
            assertThat(browser.text("t-message[data-status=failed] .notice-error")).contains("Not sent.");
            assertThat(browser.findAll("t-message .msg-sending")).isEmpty();
            assertThat(browser.<String>js("return [...document.querySelectorAll('.toast')].map(t => t.textContent).join('|')"))
                    .doesNotContain("Not sent");
            browser.screenshot("send-offline-not-sent");
        } finally {
            browser.driver().executeCdpCommand("Network.emulateNetworkConditions", Map.of("offline", false, "latency", 0,
                    "downloadThroughput", -1, "uploadThroughput", -1));
            browser.clearConsole(); // the failed requests are logged by the browser itself
        }
    }

    @Test
    void anOversizeFileIsRefusedBeforeItIsSentInTheLimitsUnit(@TempDir Path dir) throws IOException {
        page.send("Hello");
        page.awaitReply("Fine.", "done");
        Path big = dir.resolve("big.bin");
        Files.write(big, new byte[(int) (LIMIT * 3 / 2)]);
        browser.js("performance.clearResourceTimings()");
        page.attach(big);
        awaitToast("“big.bin” is 1.5 MiB; the upload limit is 1 MiB.");
        assertThat(browser.<Long>js("return performance.getEntriesByType('resource')"
                + ".filter(e => e.name.includes('/api/upload')).length")).as("upload requests").isZero();
        assertThat(browser.findAll("t-composer .cmp-draft")).isEmpty();
        browser.screenshot("upload-too-large");
    }

    @Test
    void aBadImportSaysWhatIsWrongAndAGoodOneIsMarkedAndNotPinned(@TempDir Path dir) throws IOException {
        Path notJson = dir.resolve("notes.json");
        Files.writeString(notJson, "this is not JSON");
        importFile(notJson);
        awaitToast("“notes.json” cannot be imported: it is not JSON.");

        Path noMessages = dir.resolve("other.json");
        Files.writeString(noMessages, "{\"chat\": []}");
        importFile(noMessages);
        awaitToast("Import failed: This file is not a chat export: it has no 'messages' list.");
        browser.screenshot("import-not-an-export");

        Path good = dir.resolve("trip.json");
        Files.writeString(good, """
                {"title": "Trip plans", "pinned": true, "messages": [
                  {"role": "user", "content": "Where to?"}, {"role": "assistant", "content": "Lisbon."}]}""");
        importFile(good);
        browser.await(d -> "Trip plans (imported)".equals(browser.js(
                "const t = document.querySelector('.shell-title'); return t ? t.textContent.trim() : null")));
        assertThat(browser.<Boolean>js("return [...document.querySelectorAll('.sl-row')]"
                + ".some(r => r.textContent.includes('Trip plans (imported)')"
                + " && r.closest('.sl-group').querySelector('.sl-group-title').textContent !== 'Pinned')")).isTrue();
        browser.screenshot("imported-marked");
    }

    @Test
    void aUserMessagesTimeSitsAtItsBubblesEdgeWhileTheActionsAreHidden() {
        page.send("Where is my time?");
        page.awaitReply("Fine.", "done");
        browser.js("document.activeElement.blur()");
        // The pointer away from the messages: their actions are hidden.
        new org.openqa.selenium.interactions.Actions(browser.driver())
                .moveToElement(browser.find("t-composer textarea")).perform();
        List<Number> edges = browser.js("""
                const m = document.querySelector('t-message[data-role=user]');
                return [m.querySelector('.msg-bubble').getBoundingClientRect().right,
                        m.querySelector('.msg-foot time').getBoundingClientRect().right];""");
        assertThat(edges.get(0).doubleValue() - edges.get(1).doubleValue()).as("gap between bubble edge and time")
                .isLessThan(8);
        browser.screenshot("user-time-at-edge");
    }

    @Test
    void reconnectingIsPlainToSee() {
        browser.js("document.querySelector('t-app').showStatus('retrying')");
        WebElement pill = browser.find(".shell-status:not([hidden])");
        assertThat(pill.getText()).isEqualTo("Reconnecting to the reply…");
        for (String scheme : List.of("light", "dark")) {
            browser.colorScheme(scheme);
            browser.await(d -> browser.<Boolean>js("return document.getAnimations().every((a) => a.playState !== 'running'"
                    + " || a.effect.getTiming().iterations === Infinity)"));
            assertThat(browser.<String>js("return getComputedStyle(document.querySelector('.shell-status')).animationName"))
                    .as("the pill itself does not fade in and out").isEqualTo("none");
            assertThat(contrast(".shell-status")).as("text contrast, %s", scheme).isGreaterThanOrEqualTo(4.5);
            browser.screenshot("reconnecting-" + scheme);
        }
        browser.colorScheme("light");
        browser.js("document.querySelector('t-app').showStatus(null)");
    }

    private void awaitToast(String text) {
        try {
            browser.await(d -> browser.<Boolean>js(
                    "return [...document.querySelectorAll('.toast')].some(t => t.textContent.includes(arguments[0]))", text));
        } catch (org.openqa.selenium.TimeoutException e) {
            throw new AssertionError("no toast says: " + text + "\ntoasts: "
                    + browser.js("return [...document.querySelectorAll('.toast')].map(t => t.textContent).join(' | ')"), e);
        }
    }

    private void importFile(Path file) {
        WebElement input = browser.find("input.sl-import-file");
        browser.js("arguments[0].hidden = false", input);
        input.sendKeys(file.toAbsolutePath().toString());
        browser.js("arguments[0].hidden = true", input);
    }

    private double contrast(String css) {
        return browser.<Number>js("""
                const rgb = (s) => s.match(/[\\d.]+/g).slice(0, 3).map(Number);
                const lum = ([r, g, b]) => [r, g, b].map((v) => { v /= 255;
                  return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; })
                  .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
                const el = document.querySelector(arguments[0]);
                const a = lum(rgb(getComputedStyle(el).color));
                const b = lum(rgb(getComputedStyle(el).backgroundColor));
                return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);""", css).doubleValue();
    }
}
