package dev.tether.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.support.Browser;
import dev.tether.support.ScriptedModel;
import dev.tether.support.TestServer;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The settings page in the default no-login mode, and the preferences it sets. */
class SettingsPageTest {
    @RegisterExtension
    static final OpenChatPage chat = OpenChatPage.on(ScriptedModel.autoReply("ok")).noConsoleErrors();
    final TestServer server = chat.server();
    final Browser browser = chat.browser();
    final ChatPage page = chat.page();

    /** Issue 17 (4): creating a token answered 500 (no users row for the local user). */
    @Test
    void withoutLoginTokensAreRefusedWithAReasonAndThePageSaysWhy() {
        TestServer.Response r = server.post("/api/tokens", Map.of("name", "script"));
        assertThat(r.status()).isEqualTo(409);
        assertThat(r.json().path("code").asText()).isEqualTo("tokens_need_login");
        assertThat(r.json().path("error").asText()).contains("TETHER_AUTH=on");

        browser.driver().get(server.baseUrl() + "/settings.html");
        assertThat(browser.text(".tokens-need-login:not([hidden])")).contains("Tokens need login", "TETHER_AUTH=on");
        assertThat(browser.<Boolean>js("return document.querySelector('.token-form').hidden")).isTrue();
        assertThat(browser.<Boolean>js("return document.querySelector('.page-error').hidden")).isTrue();
        browser.screenshot("settings-no-login");
    }

    /**
     * Issue 17 (what users expect): theme, text size and Enter-to-send are chosen on the settings
     * page, kept on the server (a fresh browser profile gets them) and used by the app.
     */
    @Test
    void preferencesChosenInSettingsAreKeptOnTheServerAndUsedByTheApp() {
        try {
            TestServer.Response bad = server.post("/api/preferences", Map.of("theme", "sepia"));
            assertThat(bad.status()).isEqualTo(400);
            assertThat(bad.json().path("code").asText()).isEqualTo("bad_field");

            browser.colorScheme("light");
            browser.driver().get(server.baseUrl() + "/settings.html");
            browser.find(".preferences-form");
            browser.await(d -> "system".equals(browser.js("return document.querySelector('.preferences-form').elements.theme.value")));
            choose("theme", "dark");
            choose("font_size", "large");
            browser.js("document.querySelector('.preferences-form').elements.send_on_enter.click()");
            browser.await(d -> server.get("/api/preferences").body().contains("\"send_on_enter\":false"));
            assertThat(server.get("/api/preferences").json().path("theme").asText()).isEqualTo("dark");
            assertThat(background()).as("the settings page turned dark at once").allMatch(c -> c < 60);
            browser.screenshot("preferences-dark");

            // A browser that never saw them (the OS says light) shows the app dark, in large text.
            browser.js("localStorage.clear()");
            browser.open(server.baseUrl() + "/");
            browser.await(d -> background().stream().allMatch(c -> c < 60));
            assertThat(browser.<String>js("return getComputedStyle(document.querySelector('.cmp-input')).fontSize")).isEqualTo("17px");
            // Enter makes a new line; Ctrl+Enter sends.
            var input = browser.find("t-composer textarea");
            input.sendKeys("two", org.openqa.selenium.Keys.ENTER, "lines");
            assertThat(browser.<String>js("return document.querySelector('t-composer textarea').value")).isEqualTo("two\nlines");
            assertThat(browser.text(".cmp-hint")).contains("Ctrl+Enter to send");
            new org.openqa.selenium.interactions.Actions(browser.driver()).keyDown(org.openqa.selenium.Keys.CONTROL)
                    .sendKeys(org.openqa.selenium.Keys.ENTER).keyUp(org.openqa.selenium.Keys.CONTROL).perform();
            page.awaitReply("ok", "done");
            browser.screenshot("preferences-app-dark-large");
        } finally {
            server.post("/api/preferences", Map.of("theme", "system", "font_size", "medium", "send_on_enter", true));
            browser.js("localStorage.clear()");
        }
    }

    private void choose(String name, String value) {
        browser.js("const s = document.querySelector('.preferences-form').elements[arguments[0]];"
                + " s.value = arguments[1]; s.dispatchEvent(new Event('change', { bubbles: true }))", name, value);
        browser.await(d -> server.get("/api/preferences").json().path(name).asText().equals(value));
    }

    private java.util.List<Integer> background() {
        String rgb = browser.js("return getComputedStyle(document.body).backgroundColor");
        return java.util.Arrays.stream(rgb.replaceAll("[^0-9,]", "").split(",")).limit(3).map(Integer::parseInt).toList();
    }
}
