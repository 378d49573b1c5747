package dev.tether.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.support.Browser;
import dev.tether.support.ScriptedModel;
import dev.tether.support.TestServer;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The settings page in the default no-login mode. */
class SettingsPageTest {
    @RegisterExtension
    static final OpenChatPage chat = OpenChatPage.on(ScriptedModel.autoReply("ok")).noConsoleErrors();
    final TestServer server = chat.server();
    final Browser browser = chat.browser();

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
}
