package dev.tether.support;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A {@link TestServer} whose only model is a {@link ScriptedModel#manual() manual} one, for one
 * test: the scenario tests drive every model call by hand and want a fresh server and database each.
 * Register it on an instance field with {@code @RegisterExtension}; it starts when the test instance
 * is made (so fields may take {@link #model()} and {@link #server()} at once) and closes the server
 * after the test, after the test's own {@code @AfterEach} methods.
 */
public final class ScriptedTether implements AfterEachCallback {
    private final ScriptedModel model = ScriptedModel.manual();
    private final TestServer server = TestServer.with(model);

    public ScriptedModel model() {
        return model;
    }

    public TestServer server() {
        return server;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        server.close();
    }
}
