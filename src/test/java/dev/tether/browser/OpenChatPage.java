package dev.tether.browser;

import dev.tether.support.Browser;
import dev.tether.support.ScriptedModel;
import dev.tether.support.TestServer;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One headless browser with a {@link ChatPage} on a {@link TestServer}, shared by every test of a
 * page test class: a browser is slow to start, so the tests open a new chat instead of a new browser.
 * Register it on a static field with {@code @RegisterExtension}; it starts the server, then the
 * browser, before all tests and closes the browser, then the server, after them. Instance fields of
 * the test may take {@link #server()}, {@link #browser()} and {@link #page()}, because with JUnit's
 * default lifecycle a test instance is made only after this has started. {@link #newChatEachTest()}
 * and {@link #noConsoleErrors()} add what most page tests do around each test.
 *
 * <p>Not thread-safe: JUnit calls it, and the tests use it, from the one test thread.
 */
final class OpenChatPage implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {
    private final Supplier<TestServer> startServer;
    private boolean newChatEachTest;
    private boolean noConsoleErrors;
    private TestServer server;
    private Browser browser;
    private ChatPage page;

    private OpenChatPage(Supplier<TestServer> startServer) {
        this.startServer = startServer;
    }

    /** The page on a server whose only model is {@code model}. */
    static OpenChatPage on(ScriptedModel model) {
        return new OpenChatPage(() -> TestServer.with(model));
    }

    /** The page on a server whose only model is {@code model}, started with the settings {@code env}. */
    static OpenChatPage on(ScriptedModel model, Map<String, String> env) {
        return new OpenChatPage(() -> TestServer.with(model, env));
    }

    /** The page on a server with the configured catalog: the built-in demo model. */
    static OpenChatPage onConfiguredModels() {
        return new OpenChatPage(() -> TestServer.withConfiguredModels(Map.of()));
    }

    /** Each test starts on a new chat. */
    OpenChatPage newChatEachTest() {
        newChatEachTest = true;
        return this;
    }

    /** Each test fails if the page logged an error to its console meanwhile. */
    OpenChatPage noConsoleErrors() {
        noConsoleErrors = true;
        return this;
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (newChatEachTest) {
            page().openNewChat();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (noConsoleErrors) {
            browser().assertNoConsoleErrors();
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        server = startServer.get();
        browser = Browser.start();
        page = new ChatPage(browser, server);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        // Either may be missing when starting failed part way.
        if (browser != null) {
            browser.close();
        }
        if (server != null) {
            server.close();
        }
    }

    TestServer server() {
        return started(server);
    }

    Browser browser() {
        return started(browser);
    }

    ChatPage page() {
        return started(page);
    }

    private static <T> T started(T part) {
        return Objects.requireNonNull(part, "OpenChatPage has not started: register it on a static field");
    }
}
