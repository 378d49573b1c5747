package dev.tether.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.model.ModelDelta;
import dev.tether.support.Browser;
import dev.tether.support.ScriptedModel;
import dev.tether.support.TestServer;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What the reader sees while a reply streams in. */
class StreamingPageTest {
    static final Duration CALL = Duration.ofSeconds(10);
    static final ScriptedModel model = ScriptedModel.manual();
    @RegisterExtension
    static final OpenChatPage chat = OpenChatPage.on(model).newChatEachTest().noConsoleErrors();
    final TestServer server = chat.server();
    final Browser browser = chat.browser();
    final ChatPage page = chat.page();

    /** Issue 17 (7): with reasoning and text in different frames the label kept saying "Thinking…". */
    @Test
    void thinkingStopsWhenTheAnswerStarts() {
        page.send("Think first");
        ScriptedModel.Call call = model.nextCall(CALL);
        call.emit(new ModelDelta.Reasoning("Weighing the options"));
        browser.await(d -> "Thinking…".equals(reasoningLabel()));
        assertThat(browser.<Boolean>js("return document.querySelector('t-message[data-role=assistant] .msg-reasoning').classList.contains('is-thinking')"))
                .isTrue();
        browser.screenshot("thinking");

        call.emit("The answer");
        page.awaitReply("The answer", "streaming");
        browser.await(d -> "Reasoning".equals(reasoningLabel()));
        assertThat(browser.<Boolean>js("return document.querySelector('t-message[data-role=assistant] .msg-reasoning').classList.contains('is-thinking')"))
                .isFalse();
        call.finish();
        page.awaitReply("The answer", "done");
    }

    /**
     * Issue 17 (5): small upward steps while a reply streams were undone by every token (only a
     * jump of more than 48 px escaped), and a view left 88 px up had no "Jump to latest".
     */
    @Test
    void aSmallScrollUpStopsFollowingAndJumpToLatestShows() {
        page.send("Write a lot");
        ScriptedModel.Call call = model.nextCall(CALL);
        for (int i = 0; i < 40; i++) {
            call.emit("Line " + i + " of a long answer.\n\n");
        }
        browser.await(d -> lastReplyLines() >= 40);
        browser.await(d -> distanceFromBottom() < 2);

        for (int step = 0; step < 3; step++) { // 3 × 10 px, each well under 48 px
            browser.js("document.querySelector('.tr-scroll').scrollTop -= 10");
            long expected = 10L * (step + 1);
            browser.await(d -> Math.abs(distanceFromBottom() - expected) <= 2);
        }
        long top = browser.js("return Math.round(document.querySelector('.tr-scroll').scrollTop)");
        call.emit("More text that arrives while the reader looks above.\n\n");
        call.emit("And more.");
        browser.await(d -> page.lastReplyText().endsWith("And more."));
        assertThat(browser.<Long>js("return Math.round(document.querySelector('.tr-scroll').scrollTop)")).isEqualTo(top);
        call.finish();
        page.awaitReplyStatus("done");
        browser.await(d -> browser.<Boolean>js("return !document.querySelector('.tr-jump').hidden"));
        browser.screenshot("scrolled-up-jump-to-latest");

        browser.click(".tr-jump");
        browser.await(d -> distanceFromBottom() < 2);
        browser.await(d -> browser.<Boolean>js("return document.querySelector('.tr-jump').hidden"));
    }

    /** Issue 17 (5): content that grows after the scroll (an image loading late) never stops following. */
    @Test
    void growthOfThePageKeepsAFollowingViewAtTheBottom() {
        page.send("Start");
        ScriptedModel.Call call = model.nextCall(CALL);
        for (int i = 0; i < 30; i++) {
            call.emit("Line " + i + ".\n\n");
        }
        call.finish();
        page.awaitReplyStatus("done");
        browser.await(d -> lastReplyLines() >= 30);
        browser.await(d -> distanceFromBottom() < 2);
        // Then something in the transcript grows by itself, as a lazily loaded image does: no
        // store change follows it, so only watching the layout can keep the view at the bottom.
        browser.js("const block = document.createElement('div');"
                + "block.className = 'late-growth'; block.style.height = '10px';"
                + "[...document.querySelectorAll('t-message')].at(-1).querySelector('.msg-main').append(block);"
                + "setTimeout(() => { block.style.height = '600px'; }, 50);");
        browser.await(d -> browser.<Boolean>js("return document.querySelector('.late-growth').offsetHeight === 600"));
        browser.await(d -> distanceFromBottom() < 2);
        assertThat(browser.<Boolean>js("return document.querySelector('.tr-jump').hidden")).isTrue();
    }

    /** Issue 17 (6): the whole reply was rendered again on every frame, so a selection in it was lost. */
    @Test
    void aSelectionInTheFinishedPartSurvivesTheStream() {
        page.send("Explain");
        ScriptedModel.Call call = model.nextCall(CALL);
        call.emit("The first paragraph is finished.\n\nThe second one is still");
        browser.await(d -> page.lastReplyText().contains("still"));
        browser.js("""
                const p = document.querySelector('t-message[data-role=assistant] .msg-body p');
                p.dataset.marked = 'kept';
                const range = document.createRange();
                range.selectNodeContents(p);
                const selection = getSelection();
                selection.removeAllRanges();
                selection.addRange(range);""");
        for (int i = 0; i < 5; i++) {
            call.emit(" growing, " + i);
        }
        call.emit(".\n\n```\ncode without a language\n```\n\nEnd");
        browser.await(d -> page.lastReplyText().endsWith("End"));
        assertThat(browser.<String>js("return getSelection().toString()")).isEqualTo("The first paragraph is finished.");
        assertThat(browser.<Boolean>js(
                "return document.querySelector('t-message[data-role=assistant] .msg-body p').dataset.marked === 'kept'")).isTrue();
        browser.screenshot("selection-while-streaming");
        call.finish();
        page.awaitReplyStatus("done");
    }

    /** Issue 17 (8): task-list checkboxes were stripped, and a fence without a language was labelled "text" but highlighted. */
    @Test
    void taskListsKeepDisabledCheckboxesAndAnUnlabelledFenceStaysPlain() {
        page.send("Plan");
        model.nextCall(CALL).emit("- [x] done\n- [ ] to do\n\n```\nint x = 1; // looks like C\n```\n\n"
                + "<input type=\"text\" value=\"typed\"> <input type=\"checkbox\" onclick=\"alert(1)\">").finish();
        page.awaitReplyStatus("done");
        assertThat(browser.<Long>js("return document.querySelectorAll('t-message .msg-body li input[type=checkbox]').length"))
                .isEqualTo(2L);
        assertThat(browser.<Boolean>js("return [...document.querySelectorAll('t-message .msg-body input')].every(i =>"
                + " i.type === 'checkbox' && i.disabled && !i.hasAttribute('onclick'))")).isTrue();
        assertThat(browser.<Boolean>js("return document.querySelector('t-message .msg-body li input').checked")).isTrue();
        assertThat(browser.text("t-message .code-block .code-lang")).isEqualTo("text");
        assertThat(browser.<Boolean>js("return document.querySelector('t-message .code-block code').classList.contains('hljs')"))
                .isFalse();
        browser.screenshot("task-list-and-plain-fence");
    }

    /** Issue 17 (8): "$$a\\,b$$" lost its backslash: Markdown read "\\," as an escaped comma. */
    @Test
    void texKeepsItsBackslashesAndPricesStayText() {
        page.send("Math");
        model.nextCall(CALL).emit("Inline $$a\\,b$$ and $x\\{y\\}$, costs $5 and $10.\n\n$$\n\\int_0^1 f(x)\\,dx \\\\ \\{1\\}\n$$\n\nAfter.")
                .finish();
        page.awaitReplyStatus("done");
        assertThat(browser.<String>js("return [...document.querySelectorAll('t-message .msg-body .math')].map(e => e.textContent).join(' | ')"))
                .isEqualTo("$$a\\,b$$ | $x\\{y\\}$ | $$\n\\int_0^1 f(x)\\,dx \\\\ \\{1\\}\n$$");
        assertThat(page.lastReplyText()).contains("costs $5 and $10.").contains("After.");
        browser.screenshot("tex-kept");
    }

    /** Issue 17 (8): inside a code block (and a quote) the streaming caret dropped to a line of its own. */
    @Test
    void theStreamingCaretStaysOnTheLastLineOfACodeBlockAndAQuote() {
        page.send("Code");
        ScriptedModel.Call call = model.nextCall(CALL);
        call.emit("Look:\n\n```python\nfirst = 1\nsecond = 2");
        browser.await(d -> String.valueOf(page.lastReplyText()).contains("second = 2"));
        browser.screenshot("caret-in-code");
        assertThat(caretDrop("t-message[data-role=assistant] .md-tail code")).as("caret below the code's last line").isLessThan(10);
        call.emit("\n```\n\n> a quoted line\n> and its end");
        browser.await(d -> String.valueOf(page.lastReplyText()).contains("its end"));
        browser.screenshot("caret-in-quote");
        assertThat(caretDrop("t-message[data-role=assistant] .md-tail blockquote")).as("caret below the quote's last line").isLessThan(10);
        call.finish();
        page.awaitReplyStatus("done");
    }

    /**
     * How far (px) the element's box reaches below the bottom of its last character: about one line
     * when the caret (a ::after box, which a script cannot measure directly) sits on a line of its own.
     */
    private long caretDrop(String css) {
        return browser.<Number>js("""
                const el = document.querySelector(arguments[0]);
                const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
                let last = null;
                for (let n = walker.nextNode(); n; n = walker.nextNode()) if (n.data.trim()) last = n;
                const end = last.data.trimEnd().length;
                const range = document.createRange();
                range.setStart(last, end - 1);
                range.setEnd(last, end);
                const inner = el.tagName === 'BLOCKQUOTE' ? el.lastElementChild : el;
                return Math.round(inner.getBoundingClientRect().bottom - range.getBoundingClientRect().bottom);""", css)
                .longValue();
    }

    private long distanceFromBottom() {
        return browser.js("const s = document.querySelector('.tr-scroll');"
                + "return Math.round(s.scrollHeight - s.scrollTop - s.clientHeight)");
    }

    private long lastReplyLines() {
        return browser.js("return document.querySelectorAll('t-message[data-role=assistant] .msg-body p').length");
    }

    private String reasoningLabel() {
        return browser.js("const l = document.querySelector('t-message[data-role=assistant] .msg-reasoning-label'); return l ? l.textContent : null");
    }
}
