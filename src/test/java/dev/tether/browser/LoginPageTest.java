package dev.tether.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.support.Browser;
import dev.tether.support.Multipart;
import dev.tether.support.ScriptedModel;
import dev.tether.support.TestServer;
import dev.tether.support.UserClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/**
 * On a server that requires login: log in, chat, log out; a second user in another browser
 * profile cannot see the first one's sessions; an uploaded SVG with script never runs in
 * Tether's origin (SCENARIOS.md 35 and 36 in a real browser).
 */
class LoginPageTest {
    static final String PASSWORD = "correct horse battery";
    static TestServer server;
    static Browser alice;
    static Browser bob;

    @BeforeAll
    static void start() {
        server = TestServer.with(ScriptedModel.autoReply("Hello ", "from ", "the ", "model."),
                Map.of("TETHER_AUTH", "on", "TETHER_ADMIN_USER", "alice", "TETHER_ADMIN_PASSWORD", PASSWORD));
        UserClient admin = UserClient.login(server.baseUrl(), "alice", PASSWORD);
        assertThat(admin.post("/api/admin/users", Map.of("name", "bob", "password", PASSWORD)).status()).isEqualTo(200);
        alice = Browser.start();
        bob = Browser.start();
    }

    @AfterAll
    static void stop() {
        for (Browser b : new Browser[] {alice, bob}) {
            if (b != null) {
                b.close();
            }
        }
        server.close();
    }

    private static void logIn(Browser browser, String name) {
        browser.driver().get(server.baseUrl() + "/login.html");
        browser.find(".login-form input[name=name]").sendKeys(name);
        browser.find(".login-form input[name=password]").sendKeys(PASSWORD);
        browser.find(".login-form button").click();
        try {
            browser.waitForApp();
        } catch (RuntimeException e) {
            browser.screenshot("login-debug");
            throw new AssertionError("url " + browser.driver().getCurrentUrl() + " console " + browser.console(), e);
        }
    }

    @Test
    void logInChatLogOutAndAnotherUserSeesNothingOfIt() {
        alice.driver().get(server.baseUrl() + "/");
        alice.await(d -> d.getCurrentUrl().endsWith("/login.html"));
        logIn(alice, "alice");
        ChatPage page = new ChatPage(alice, server);
        page.send("a private question");
        String session = page.awaitSessionId();
        alice.await(d -> "Hello from the model.".equals(page.lastReplyText()));
        alice.screenshot("login-chat");

        logIn(bob, "bob");
        bob.await(d -> bob.js("return !!document.querySelector('.sl-list .sl-row, .sl-list .sl-empty')"));
        assertThat(bob.<Long>js("return document.querySelectorAll('.sl-row[data-id=\"' + arguments[0] + '\"]').length",
                session)).isZero();
        assertThat(bob.driver().getPageSource()).doesNotContain("a private question");
        bob.driver().get(server.baseUrl() + "/#" + session);
        bob.waitForApp();
        assertThat(bob.<Long>js("return document.querySelectorAll('t-message').length")).isZero();
        assertThat(bob.driver().getPageSource()).doesNotContain("a private question");

        alice.driver().get(server.baseUrl() + "/settings.html");
        alice.find(".logout-button").click();
        alice.await(d -> d.getCurrentUrl().endsWith("/login.html"));
        alice.driver().get(server.baseUrl() + "/");
        alice.await(d -> d.getCurrentUrl().endsWith("/login.html"));
        alice.assertNoConsoleErrors();
    }

    @Test
    void anUploadedSvgWithScriptNeverRunsInTethersOrigin() {
        UserClient api = UserClient.login(server.baseUrl(), "bob", PASSWORD);
        String session = api.post("/api/session/new", Map.of()).json().path("session").path("session_id").asText();
        HttpResponse<String> up = api.send(Multipart.upload(server.baseUrl(), session, "evil.svg", "image/svg+xml",
                ("<svg xmlns='http://www.w3.org/2000/svg' onload=\"localStorage.setItem('xss','onload')\">"
                        + "<script>localStorage.setItem('xss','script')</script></svg>").getBytes(StandardCharsets.UTF_8)));
        String id = up.body().replaceAll(".*\"attachment_id\":\"([^\"]+)\".*", "$1");
        logIn(bob, "bob");
        bob.driver().get(server.baseUrl() + "/api/attachment?attachment_id=" + id);
        bob.driver().get(server.baseUrl() + "/");
        bob.waitForApp();
        assertThat(bob.<Object>js("return localStorage.getItem('xss')")).isNull();
        assertThat(bob.driver().findElements(By.cssSelector("svg[onload]"))).isEmpty();
    }
}
