package dev.tether.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.support.Browser;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The page with the built-in demo model: labelled as a demo, usable at phone width without
 * sideways scrolling, and following the OS's dark theme.
 */
class LayoutPageTest {
    static final String LONG_WORD = "supercalifragilisticexpialidocious".repeat(4);

    @RegisterExtension
    static final OpenChatPage chat = OpenChatPage.onConfiguredModels();
    final Browser browser = chat.browser();
    final ChatPage page = chat.page();

    @AfterEach
    void reset() {
        browser.driver().executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
        browser.colorScheme("light");
        browser.assertNoConsoleErrors();
    }

    /** A finished demo exchange (its reply has a list, a quote and a code block). */
    private String demoConversation() {
        page.openNewChat();
        page.send("Show me what a reply looks like with " + LONG_WORD);
        page.awaitReplyStatus("done");
        return page.awaitSessionId();
    }

    @Test
    void theDemoModelIsLabelledAsADemo() {
        page.openNewChat();
        assertThat(browser.text("t-transcript .tr-demo-note")).contains("demo model");
        assertThat(browser.text("t-model-picker select option:checked")).containsIgnoringCase("demo");
    }

    @Test
    void atPhoneWidthNothingScrollsSideways() {
        String sessionId = demoConversation();
        browser.driver().executeCdpCommand("Emulation.setDeviceMetricsOverride",
                Map.of("width", 375, "height", 812, "deviceScaleFactor", 2, "mobile", true));

        page.openNewChat();
        assertThat(browser.<Long>js("return window.innerWidth")).isEqualTo(375L);
        assertThat(page.fitsViewportWidth()).as("empty page fits 375px").isTrue();
        browser.screenshot("phone-empty");

        page.openSession(sessionId);
        page.awaitReplyStatus("done");
        assertThat(page.fitsViewportWidth()).as("conversation fits 375px").isTrue();
        assertThat(browser.<Boolean>js("""
                const box = document.querySelector('t-composer .cmp-box').getBoundingClientRect();
                return box.left >= 0 && box.right <= window.innerWidth""")).isTrue();
        browser.screenshot("phone");

        browser.find("t-app .shell-toggle").click();
        browser.await(d -> browser.<Boolean>js("""
                const r = document.querySelector('.shell-sidebar').getBoundingClientRect();
                return r.left >= 0 && r.right <= window.innerWidth"""));
        assertThat(page.fitsViewportWidth()).as("open sidebar fits 375px").isTrue();
        browser.screenshot("phone-sidebar");
    }

    @Test
    void theDarkThemeFollowsTheOperatingSystem() {
        String sessionId = demoConversation();
        browser.colorScheme("dark");
        page.openSession(sessionId);
        page.awaitReplyStatus("done");

        List<Long> background = browser.js("""
                return getComputedStyle(document.body).backgroundColor.match(/\\d+/g).slice(0, 3).map(Number)""");
        assertThat(background).allMatch(channel -> channel < 60, "a dark background");
        assertThat(browser.<String>js("""
                return getComputedStyle(document.querySelector('t-message[data-role=assistant] .code-block pre code.hljs')).color"""))
                .isNotEqualTo("rgb(36, 41, 46)"); // github.css's light text colour would be unreadable on dark
        browser.screenshot("dark");

        page.openNewChat();
        browser.screenshot("dark-empty");
    }
}
