package dev.tether.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.model.ModelException;
import dev.tether.support.Browser;
import dev.tether.support.ScriptedModel;
import dev.tether.support.TestServer;
import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** One conversation in one tab: send and stream, stop, edit and resend, queue while busy, attach an image. */
class ConversationPageTest {
    static final Duration CALL = Duration.ofSeconds(10);
    static final String CODE_REPLY = """
            Here is the loop:

            ```java
            for (int i = 0; i < 3; i++) {
                System.out.println("tick " + i);
            }
            ```

            It prints three lines.""";

    static final ScriptedModel model = ScriptedModel.manual();
    @RegisterExtension
    static final OpenChatPage chat = OpenChatPage.on(model).newChatEachTest().noConsoleErrors();
    final TestServer server = chat.server();
    final Browser browser = chat.browser();
    final ChatPage page = chat.page();

    @Test
    void thePageIsDrawnWhenTheDocumentIsReadyNotAfterTheMarkdownLibraries() {
        Map<String, Object> added = browser.driver().executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of(
                "source", "document.addEventListener('DOMContentLoaded', () => "
                        + "{ window.__drawnAtReady = Boolean(document.querySelector('t-app t-composer textarea')); });"));
        try {
            page.openNewChat();
            assertThat(browser.<Boolean>js("return window.__drawnAtReady")).isTrue();
        } finally {
            browser.driver().executeCdpCommand("Page.removeScriptToEvaluateOnNewDocument",
                    Map.of("identifier", added.get("identifier")));
        }
    }

    @Test
    void anEmptyChatInvitesAMessage() {
        assertThat(browser.text("t-transcript .tr-empty:not([hidden]) h2")).isEqualTo("What shall we work on?");
        assertThat(page.stopShown()).isFalse();
        browser.screenshot("empty");
    }

    @Test
    void aReplyStreamsInAndEndsWithHighlightedCode() {
        page.send("Show me a loop");
        ScriptedModel.Call call = model.nextCall(CALL);
        assertThat(call.lastUserMessage()).isEqualTo("Show me a loop");

        call.emit("Here is ");
        page.awaitReply("Here is", "streaming");
        call.emit("the loop:\n\n```java\nfor (int i = 0; i < 3; i++) {\n");
        browser.await(d -> page.lastReplyText().contains("for (int i = 0"));
        assertThat(page.stopShown()).isTrue();
        browser.screenshot("streaming");

        call.emit(CODE_REPLY.substring("Here is the loop:\n\n```java\nfor (int i = 0; i < 3; i++) {\n".length()));
        call.finish();
        page.awaitReplyStatus("done");
        browser.await(d -> !page.stopShown());
        assertThat(browser.findAll("t-message[data-role=assistant] .code-block code.hljs .hljs-keyword")).isNotEmpty();
        assertThat(browser.text("t-message[data-role=assistant] .code-block .copy-code")).isEqualTo("Copy");
        String sessionId = page.awaitSessionId();
        assertThat(server.messages(sessionId).getLast().path("content").asText()).isEqualTo(CODE_REPLY);
        assertThat(page.transcript().getFirst()).isEqualTo("user: Show me a loop");
        browser.screenshot("finished-with-code");
    }

    @Test
    void stopKeepsThePartialReplyMarkedStopped() {
        page.send("Tell me a long story");
        ScriptedModel.Call call = model.nextCall(CALL);
        call.emit("Once upon a time");
        page.awaitReplyText("Once upon a time");

        page.stop();

        page.awaitReply("Once upon a time", "stopped");
        browser.find("t-message[data-role=assistant] .msg-flag-stopped");
        browser.await(d -> !page.stopShown());
        String sessionId = page.awaitSessionId();
        server.awaitIdle(sessionId);
        JsonNode saved = server.messages(sessionId).getLast();
        assertThat(saved.path("content").asText()).isEqualTo("Once upon a time");
        assertThat(saved.path("status").asText()).isEqualTo("stopped");
        browser.screenshot("stopped");
    }

    @Test
    void aProviderErrorShowsTheServersMessageAndHintAndRetryWorks() {
        page.send("Are you there?");
        ScriptedModel.Call call = model.nextCall(CALL);
        call.emit("Let me");
        call.fail(new ModelException("rate_limited", "The provider is rate limiting requests (429).",
                "Wait a minute, then retry."));

        page.awaitReplyStatus("error");
        String notice = browser.text("t-message[data-role=assistant] .notice-error");
        assertThat(notice).contains("The provider is rate limiting requests (429).", "Wait a minute, then retry.");
        assertThat(browser.<Boolean>js("return document.querySelector('t-message[data-role=assistant] .msg-typing').hidden"))
                .isTrue();
        browser.await(d -> !page.stopShown());
        browser.screenshot("provider-error");

        page.retry();
        model.nextCall(CALL).echo();
        page.awaitReply("re:Are you there?", "done");
        assertThat(browser.findAll("t-message .notice-error")).isEmpty();
    }

    @Test
    void editingAUserMessageReplacesItAndEverythingAfter() {
        page.send("What is 2+2?");
        model.nextCall(CALL).echo();
        page.awaitReply("re:What is 2+2?", "done");
        String sessionId = page.awaitSessionId();
        server.awaitIdle(sessionId);

        page.editUserMessage(0, "What is 3+3?");
        ScriptedModel.Call call = model.nextCall(CALL);
        assertThat(call.lastUserMessage()).isEqualTo("What is 3+3?");
        call.echo();

        page.awaitReply("re:What is 3+3?", "done");
        browser.await(d -> page.transcript().equals(List.of("user: What is 3+3?", "assistant: re:What is 3+3?")));
        server.awaitIdle(sessionId);
        assertThat(server.messages(sessionId)).extracting(m -> m.path("content").asText())
                .containsExactly("What is 3+3?", "re:What is 3+3?");
    }

    @Test
    void aMessageSentWhileAReplyRunsWaitsInTheQueueThenStartsByItself() {
        page.send("first");
        ScriptedModel.Call first = model.nextCall(CALL);
        first.emit("working on the first");
        page.awaitReplyText("working on the first");

        page.send("second");
        browser.await(d -> page.queuedTexts().equals(List.of("second")));
        String sessionId = page.awaitSessionId();
        assertThat(server.session(sessionId).path("queued")).hasSize(1);
        browser.screenshot("queued");
        page.reload(); // the queue is the server's: it survives a reload
        browser.await(d -> page.queuedTexts().equals(List.of("second")));
        page.awaitReply("working on the first", "streaming");

        first.finish();
        ScriptedModel.Call second = model.nextCall(CALL);
        assertThat(second.lastUserMessage()).isEqualTo("second");
        second.echo();

        page.awaitReply("re:second", "done");
        browser.await(d -> page.queuedTexts().isEmpty());
        browser.await(d -> page.transcript().equals(List.of(
                "user: first", "assistant: working on the first", "user: second", "assistant: re:second")));
    }

    @Test
    void anUploadedImageIsShownOnTheSentMessage() throws Exception {
        Path png = Files.createTempDirectory("tether-upload").resolve("chart.png");
        BufferedImage image = new BufferedImage(64, 40, BufferedImage.TYPE_INT_RGB);
        for (int x = 0; x < 64; x++) {
            for (int y = 0; y < 40; y++) {
                image.setRGB(x, y, x < 32 ? 0x3355CC : 0xEE8833);
            }
        }
        ImageIO.write(image, "png", png.toFile());

        page.attach(png);
        page.awaitDraftsReady(1);
        page.send("What is in this chart?");
        ScriptedModel.Call call = model.nextCall(CALL);
        assertThat(call.lastUserMessage()).startsWith("What is in this chart?").contains("chart.png");
        call.emit("A blue bar and an orange bar.").finish();
        page.awaitReply("A blue bar and an orange bar.", "done");

        String sessionId = page.awaitSessionId();
        browser.await(d -> browser.<Boolean>js("""
                const img = document.querySelector('t-message[data-role=user] .att-image img');
                return Boolean(img && img.complete && img.naturalWidth === 64 && img.naturalHeight === 40)"""));
        JsonNode attachment = server.messages(sessionId).getFirst().path("attachments").path(0);
        assertThat(attachment.path("filename").asText()).isEqualTo("chart.png");
        assertThat(attachment.path("is_image").asBoolean()).isTrue();
        browser.screenshot("image-attached");
    }
}
