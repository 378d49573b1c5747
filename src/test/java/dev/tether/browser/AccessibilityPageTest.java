package dev.tether.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.model.ModelException;
import dev.tether.support.Browser;
import dev.tether.support.ScriptedModel;
import dev.tether.support.TestServer;
import dev.tether.support.UserClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 17 (11): axe-core, run inside the page, finds no serious or critical violation on any of
 * Tether's pages — login, the empty state, a conversation (Markdown, code, a table, a task list, an
 * error card), the keyboard shortcuts sheet, settings — in the light and the dark theme.
 *
 * <p>axe-core comes from npm (src/test/js/package.json, installed by .ci/run); without it the test is
 * skipped, saying how to install it.
 */
class AccessibilityPageTest {
    static final Path AXE = Path.of("src", "test", "js", "node_modules", "axe-core", "axe.min.js");
    static final String PASSWORD = "correct horse battery";
    static final Duration CALL = Duration.ofSeconds(10);
    static final String REPLY = """
            ## A reply with **everything**

            Some `inline code`, a [link](https://example.org/) and a list:

            - [x] done
            - [ ] not yet

            > A quote.

            | name | value |
            |------|-------|
            | a    | 1     |

            ```java
            // a comment
            int answer = 42;
            ```
            """;
    static final ScriptedModel model = ScriptedModel.manual();
    static String axe;
    static TestServer server;
    static Browser browser;
    static final List<String> violations = new ArrayList<>();

    @BeforeAll
    static void start() throws IOException {
        Assumptions.assumeTrue(Files.isRegularFile(AXE),
                "axe-core is not installed: run `npm ci --prefix src/test/js` (.ci/run does)");
        axe = Files.readString(AXE);
        server = TestServer.with(model,
                Map.of("TETHER_AUTH", "on", "TETHER_ADMIN_USER", "alice", "TETHER_ADMIN_PASSWORD", PASSWORD));
        UserClient admin = UserClient.login(server.baseUrl(), "alice", PASSWORD);
        assertThat(admin.post("/api/admin/users", Map.of("name", "bob", "password", PASSWORD)).status()).isEqualTo(200);
        browser = Browser.start();
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void everyPageInBothThemesHasNoSeriousOrCriticalViolation() {
        browser.driver().get(server.baseUrl() + "/login.html");
        browser.find(".login-form");
        checkBothThemes("login");

        browser.find(".login-form input[name=name]").sendKeys("alice");
        browser.find(".login-form input[name=password]").sendKeys(PASSWORD);
        browser.find(".login-form button").click();
        browser.waitForApp();
        ChatPage page = new ChatPage(browser, server);
        page.openNewChat();
        checkBothThemes("empty");

        page.send("Show me everything");
        model.nextCall(CALL).emit(REPLY).finish();
        page.awaitReplyStatus("done");
        page.send("And now fail");
        model.nextCall(CALL).fail(new ModelException("provider_error", "The provider failed.", "Try again later."));
        page.awaitReplyStatus("error");
        checkBothThemes("conversation");
        browser.js("document.activeElement.blur()");
        new org.openqa.selenium.interactions.Actions(browser.driver()).sendKeys("?").perform();
        browser.await(d -> browser.<Boolean>js("return document.querySelector('dialog.shortcuts').open"));
        checkBothThemes("shortcuts");
        browser.js("document.querySelector('dialog.shortcuts').close()");

        browser.driver().get(server.baseUrl() + "/settings.html");
        browser.find(".user-list li");
        checkBothThemes("settings");
        assertThat(violations).as("serious or critical axe-core violations").isEmpty();
        browser.assertNoConsoleErrors();
    }

    private static void checkBothThemes(String pageName) {
        try {
            for (String scheme : List.of("light", "dark")) {
                browser.colorScheme(scheme);
                // The theme's colours fade in (CSS transitions); a colour read half-way is neither theme's.
                browser.await(d -> browser.<Boolean>js("""
                        return document.getAnimations().every((a) => a.playState !== 'running'
                            || a.effect.getTiming().iterations === Infinity)"""));
                for (String v : seriousViolations()) {
                    violations.add(pageName + " (" + scheme + "): " + v);
                }
                browser.screenshot("axe-" + pageName + "-" + scheme);
            }
        } finally {
            browser.colorScheme("light");
        }
    }

    /** One line per serious or critical violation: rule, impact, and the first few offending nodes. */
    private static List<String> seriousViolations() {
        if (!browser.<Boolean>js("return typeof window.axe === 'object'")) {
            browser.js(axe);
        }
        Object result = browser.driver().executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                axe.run(document, { resultTypes: ['violations'] }).then((r) => done(r.violations
                    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
                    .map((v) => `${v.id} (${v.impact}): ${v.help} — ` + v.nodes.slice(0, 4)
                        .map((n) => n.target.join(' ') + ' ' + (n.failureSummary || '').replace(/\\s+/g, ' '))
                        .join(' | '))),
                  (e) => done(['axe failed: ' + e]));""");
        @SuppressWarnings("unchecked")
        List<String> lines = (List<String>) result;
        return lines;
    }
}
