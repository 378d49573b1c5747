package dev.tether.tool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.tether.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class McpConfigTest {

    private static McpConfig read(String json) throws Exception {
        Path file = Files.createTempFile("mcp", ".json");
        Files.writeString(file, json);
        return McpConfig.read(file);
    }

    @Test
    void readsTheCommonShapeAndTethersPolicies() throws Exception {
        McpConfig c = read("""
                {"mcpServers": {
                   "files": {"command": "npx", "args": ["-y", "server-filesystem", "/tmp"], "env": {"A": "1"}},
                   "remote": {"url": "https://example.org/mcp", "bearerToken": "t0k"}},
                 "tether": {"policies": {"files/write_file": "deny", "remote/search": "auto"}}}
                """);
        assertThat(c.servers()).extracting(McpServerSpec::name).containsExactly("files", "remote");
        McpServerSpec.Stdio files = (McpServerSpec.Stdio) c.servers().get(0).transport();
        assertThat(files.command()).isEqualTo("npx");
        assertThat(files.args()).containsExactly("-y", "server-filesystem", "/tmp");
        assertThat(files.env()).containsEntry("A", "1");
        McpServerSpec.Http remote = (McpServerSpec.Http) c.servers().get(1).transport();
        assertThat(remote.headers()).containsEntry("Authorization", "Bearer t0k");
        assertThat(c.policyOf("files", "write_file", true)).isEqualTo(ToolPolicy.DENY);
        assertThat(c.policyOf("files", "read_file", true)).isEqualTo(ToolPolicy.AUTO);
        assertThat(c.policyOf("files", "move_file", false)).isEqualTo(ToolPolicy.ASK);
    }

    @Test
    void namesEveryProblemAtOnce() {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> read("""
                {"mcpServers": {"tether": {"command": "x"}, "bad name": {"command": "x"},
                                "nothing": {}, "ftp": {"url": "ftp://host/mcp"}},
                 "tether": {"policies": {"noslash": "auto", "a/b": "sometimes"}}}
                """));
        assertThat(e.problems()).hasSize(6);
        assertThat(String.join("\n", e.problems())).contains("\"tether\"", "\"bad name\"", "needs \"command\"",
                "http(s) URL", "\"noslash\"", "\"a/b\"");
        assertThat(catchThrowableOfType(ConfigException.class, () -> read("{not json")).getMessage())
                .contains("cannot be read as JSON");
    }
}
