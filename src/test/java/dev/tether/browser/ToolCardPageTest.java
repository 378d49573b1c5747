package dev.tether.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.model.ModelDelta;
import dev.tether.support.Browser;
import dev.tether.support.ScriptedModel;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A tool call's card: its server and name, and a result with markup shown as text that never runs. */
class ToolCardPageTest {
    static final String RESULT = "<img src=x onerror=\"window.__xss='tool-img'\"><script>window.__xss='tool'</script>";
    static final ScriptedModel model = ScriptedModel.manual();
    @RegisterExtension
    static final OpenChatPage chat = OpenChatPage.on(model).newChatEachTest().noConsoleErrors();
    final Browser browser = chat.browser();
    final ChatPage page = chat.page();

    @Test
    void markupInAToolResultIsShownAsText() {
        page.send("Use a tool");
        ScriptedModel.Call call = model.nextCall(Duration.ofSeconds(10));
        call.emit(new ModelDelta.ToolCall("c1", "fetch_page", "{\"url\":\"https://example.org\"}"));
        call.emit(new ModelDelta.ToolResult("c1", "fetch_page", RESULT, false, 12));
        call.emit("Done.");
        call.finish();
        page.awaitReply("Done.", "done");
        browser.await(d -> browser.<Long>js("return document.querySelectorAll('.tool-card').length") == 1L);
        browser.js("document.querySelector('.tool-card').open = true");
        assertThat(browser.<String>js("return document.querySelector('.tool-card .tool-name').textContent"))
                .isEqualTo("fetch_page");
        assertThat(browser.<String>js("return document.querySelector('.tool-card').textContent")).contains(RESULT);
        assertThat(browser.<Long>js("return document.querySelectorAll('.tool-card img, .tool-card script').length"))
                .isZero();
        assertThat(browser.<Object>js("return window.__xss ?? null")).isNull();
        browser.screenshot("tool-card-with-markup");
    }
}
