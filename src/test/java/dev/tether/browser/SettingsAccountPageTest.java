package dev.tether.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.support.Browser;
import dev.tether.support.ScriptedModel;
import dev.tether.support.TestServer;
import dev.tether.support.UserClient;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The settings page with login: a read-only token that expires, the user's logins (ending another
 * browser's), and changing their own password.
 */
class SettingsAccountPageTest {
    static final String PASSWORD = "correct horse battery";
    static TestServer server;
    static Browser browser;

    @BeforeAll
    static void start() {
        server = TestServer.with(ScriptedModel.autoReply("ok"),
                Map.of("TETHER_AUTH", "on", "TETHER_ADMIN_USER", "hana", "TETHER_ADMIN_PASSWORD", PASSWORD));
        browser = Browser.start();
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        server.close();
    }

    @Test
    void tokensLoginsAndThePasswordAreManagedOnThePage() {
        UserClient otherBrowser = UserClient.login(server.baseUrl(), "hana", PASSWORD);
        browser.driver().get(server.baseUrl() + "/login.html");
        browser.find(".login-form input[name=name]").sendKeys("hana");
        browser.find(".login-form input[name=password]").sendKeys(PASSWORD);
        browser.find(".login-form button").click();
        browser.waitForApp();
        browser.driver().get(server.baseUrl() + "/settings.html");
        browser.await(d -> browser.findAll(".login-list li").size() == 2);

        browser.find(".token-form input[name=name]").sendKeys("dashboard");
        browser.find(".token-form input[name=days]").sendKeys("7");
        browser.click(".token-form input[name=readOnly]");
        browser.click(".token-form button");
        browser.await(d -> browser.text(".token-list").contains("dashboard (read only)"));
        assertThat(browser.text(".token-list")).contains("expires");
        assertThat(browser.text(".token-secret")).contains("tt_");

        assertThat(browser.text(".login-list")).contains("This browser", "Another browser");
        browser.click(".login-list [data-end]");
        browser.await(d -> browser.findAll(".login-list li").size() == 1);
        assertThat(otherBrowser.get("/api/sessions").status()).isEqualTo(401);

        browser.find(".password-form input[name=current]").sendKeys(PASSWORD);
        browser.find(".password-form input[name=next]").sendKeys("a brand new password");
        browser.click(".password-form button");
        browser.await(d -> browser.js("return !document.querySelector('.password-done').hidden"));
        assertThat(browser.<Boolean>js("return document.querySelector('.page-error').hidden")).isTrue();
        assertThat(UserClient.anonymous(server.baseUrl()).post("/api/auth/login",
                Map.of("name", "hana", "password", "a brand new password")).status()).isEqualTo(200);
        browser.screenshot("settings-account");
        browser.assertNoConsoleErrors();
    }
}
