package dev.tether.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.support.ScriptedModel;
import dev.tether.support.TestServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17 (12): the app's files have versioned URLs cached for a year, the pages that name them
 * are revalidated, and text goes out gzipped to a client that accepts it.
 */
class StaticAssetsTest {
    static final Pattern APP_SCRIPT = Pattern.compile("src=\"(/assets/([0-9a-f]{12})/app\\.js)\"");
    static TestServer server;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        server = TestServer.with(ScriptedModel.autoReply("ok"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static HttpResponse<byte[]> get(String path, String acceptEncoding) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.baseUrl() + path));
        if (acceptEncoding != null) {
            request.header("Accept-Encoding", acceptEncoding);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String header(HttpResponse<?> r, String name) {
        return r.headers().firstValue(name).orElse("");
    }

    @Test
    void thePageNamesVersionedFilesThatAreCachedForAYearWhileThePageIsRevalidated() throws Exception {
        HttpResponse<byte[]> page = get("/", null);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(header(page, "Cache-Control")).isEqualTo("no-cache");
        String html = new String(page.body(), StandardCharsets.UTF_8);
        Matcher script = APP_SCRIPT.matcher(html);
        assertThat(script.find()).as("index.html names a versioned app.js: %s", html).isTrue();
        String prefix = "/assets/" + script.group(2);
        assertThat(html).contains("href=\"" + prefix + "/styles/base.css\"")
                .contains("href=\"/webjars/highlightjs/") // already versioned: left alone
                .doesNotContain("href=\"styles/");

        HttpResponse<byte[]> app = get(script.group(1), null);
        assertThat(app.statusCode()).isEqualTo(200);
        assertThat(header(app, "Cache-Control")).isEqualTo("public, max-age=31536000, immutable");
        assertThat(new String(app.body(), StandardCharsets.UTF_8)).contains("customElements");
        // The shared worker is loaded relative to its module, so its URL carries the version too.
        HttpResponse<byte[]> worker = get(prefix + "/api/live-worker.js", null);
        assertThat(worker.statusCode()).isEqualTo(200);
        assertThat(header(worker, "Cache-Control")).isEqualTo("public, max-age=31536000, immutable");

        for (String other : new String[] {"/login.html", "/settings.html"}) {
            HttpResponse<byte[]> r = get(other, null);
            assertThat(header(r, "Cache-Control")).as(other).isEqualTo("no-cache");
            assertThat(new String(r.body(), StandardCharsets.UTF_8)).as(other).contains("src=\"" + prefix + "/pages/");
        }
    }

    @Test
    void textGoesOutGzippedToAClientThatAcceptsIt() throws Exception {
        String html = new String(get("/", null).body(), StandardCharsets.UTF_8);
        Matcher script = APP_SCRIPT.matcher(html);
        assertThat(script.find()).isTrue();
        byte[] plain = get(script.group(1), null).body();

        HttpResponse<byte[]> gzipped = get(script.group(1), "gzip, br");
        assertThat(header(gzipped, "Content-Encoding")).isEqualTo("gzip");
        assertThat(header(gzipped, "Vary")).containsIgnoringCase("Accept-Encoding");
        assertThat(gunzip(gzipped.body())).isEqualTo(plain);

        HttpResponse<byte[]> page = get("/", "gzip");
        assertThat(header(page, "Content-Encoding")).isEqualTo("gzip");
        assertThat(new String(gunzip(page.body()), StandardCharsets.UTF_8)).isEqualTo(html);

        // The API is left alone: no compression of JSON answers or event streams.
        HttpResponse<byte[]> api = get("/api/models", "gzip");
        assertThat(header(api, "Content-Encoding")).isEmpty();
    }

    @Test
    void aChangedFileGetsANewVersionAndTheRewrittenPagesNameIt(@TempDir Path root) throws IOException {
        Files.writeString(root.resolve("index.html"),
                "<link href=\"styles/a.css\"><a href=\"#main\"></a><a href=\"/settings.html\"></a>"
                        + "<script src=\"app.js\"></script><a href=\"https://example.org/\"></a>");
        Files.createDirectories(root.resolve("styles"));
        Files.writeString(root.resolve("styles/a.css"), "body { color: red; }");
        Files.writeString(root.resolve("app.js"), "export {};");
        StaticAssets before = StaticAssets.of(root);
        assertThat(StaticAssets.of(root).version()).as("the same files, the same version").isEqualTo(before.version());

        Files.writeString(root.resolve("styles/a.css"), "body { color: blue; }");
        StaticAssets after = StaticAssets.of(root);
        assertThat(after.version()).isNotEqualTo(before.version());
        assertThat(after.page("index.html")).isEqualTo("<link href=\"" + after.prefix() + "/styles/a.css\">"
                + "<a href=\"#main\"></a><a href=\"/settings.html\"></a><script src=\"" + after.prefix() + "/app.js\"></script>"
                + "<a href=\"https://example.org/\"></a>");
    }

    /** Packaged, the app is read from inside the jar. */
    @Test
    void theAppIsReadFromAJarAsFromAFolder(@TempDir Path dir) throws IOException {
        Path folder = dir.resolve("classes/web");
        Files.createDirectories(folder);
        Files.writeString(folder.resolve("index.html"), "<script src=\"app.js\"></script>");
        Files.writeString(folder.resolve("app.js"), "export {};");
        Path jar = dir.resolve("app.jar");
        try (var out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar))) {
            for (String name : new String[] {"web/index.html", "web/app.js"}) {
                out.putNextEntry(new java.util.jar.JarEntry(name));
                out.write(Files.readAllBytes(dir.resolve("classes").resolve(name)));
                out.closeEntry();
            }
        }
        try (var loader = new java.net.URLClassLoader(new java.net.URL[] {jar.toUri().toURL()}, null)) {
            StaticAssets packaged = StaticAssets.fromClasspath(loader, "web");
            assertThat(packaged.version()).isEqualTo(StaticAssets.of(folder).version());
            assertThat(packaged.page("index.html")).isEqualTo("<script src=\"" + packaged.prefix() + "/app.js\"></script>");
        }
    }

    private static byte[] gunzip(byte[] body) throws IOException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
            return in.readAllBytes();
        }
    }
}
