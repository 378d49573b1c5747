package dev.tether.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tether.config.ConfigException;
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

/** Login, logout, tokens, CSRF, security headers and safe attachments on a server that requires login. */
class GateTest {
    static final String PASSWORD = "correct horse battery";
    static TestServer server;
    static UserClient admin;

    @BeforeAll
    static void start() {
        server = TestServer.with(ScriptedModel.autoReply("ok"), Map.of("TETHER_AUTH", "on",
                "TETHER_ADMIN_USER", "root", "TETHER_ADMIN_PASSWORD", PASSWORD));
        admin = UserClient.login(server.baseUrl(), "root", PASSWORD);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static UserClient newUser(String name) {
        assertThat(admin.post("/api/admin/users", Map.of("name", name, "password", PASSWORD)).status()).isEqualTo(200);
        return UserClient.login(server.baseUrl(), name, PASSWORD);
    }

    @Test
    void loginCookieIsHttpOnlyAndSameSite() {
        HttpResponse<String> r = UserClient.anonymous(server.baseUrl()).header("Origin", server.baseUrl())
                .raw("POST", "/api/auth/login", Map.of("name", "root", "password", PASSWORD));
        String cookie = r.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(cookie).contains("HttpOnly").containsIgnoringCase("SameSite=Lax").doesNotContain("Secure");
    }

    @Test
    void forwardedHttpsMakesTheCookieSecureOnlyFromATrustedProxy() {
        HttpResponse<String> r = UserClient.anonymous(server.baseUrl()).header("X-Forwarded-Proto", "https")
                .raw("POST", "/api/auth/login", Map.of("name", "root", "password", PASSWORD));
        assertThat(r.headers().firstValue("Set-Cookie").orElseThrow()).doesNotContain("Secure");
    }

    @Test
    void wrongPasswordIs401AndDoesNotSayWhichPartWasWrong() {
        TestServer.Response wrongPassword = UserClient.anonymous(server.baseUrl())
                .post("/api/auth/login", Map.of("name", "root", "password", "nope nope nope"));
        TestServer.Response wrongName = UserClient.anonymous(server.baseUrl())
                .post("/api/auth/login", Map.of("name", "nobody", "password", PASSWORD));
        assertThat(wrongPassword.status()).isEqualTo(401);
        assertThat(wrongName.status()).isEqualTo(401);
        assertThat(wrongName.json().path("error")).isEqualTo(wrongPassword.json().path("error"));
    }

    @Test
    void repeatedFailedLoginsAreThrottledWithRetryAfter() {
        newUser("target");
        UserClient attacker = UserClient.anonymous(server.baseUrl());
        for (int i = 0; i < 5; i++) {
            assertThat(attacker.post("/api/auth/login", Map.of("name", "target", "password", "guess " + i + "xxxx")).status())
                    .isEqualTo(401);
        }
        HttpResponse<String> r = attacker.raw("POST", "/api/auth/login", Map.of("name", "target", "password", PASSWORD));
        assertThat(r.statusCode()).isEqualTo(429);
        assertThat(r.headers().firstValue("Retry-After")).isPresent();
    }

    @Test
    void logoutEndsTheLoginEverywhereTheCookieWent() {
        UserClient carol = newUser("carol");
        UserClient copy = UserClient.anonymous(server.baseUrl()).header("Cookie", carol.headers().get("Cookie"));
        assertThat(copy.get("/api/sessions").status()).isEqualTo(200);
        assertThat(carol.post("/api/auth/logout", Map.of()).status()).isEqualTo(200);
        assertThat(copy.get("/api/sessions").status()).isEqualTo(401);
    }

    @Test
    void disablingAUserEndsTheirLoginsAndReEnablingLetsThemBackIn() {
        UserClient dave = newUser("dave");
        String id = dave.get("/api/auth/me").json().path("user").path("user_id").asText();
        assertThat(admin.post("/api/admin/users/disable", Map.of("user_id", id, "disabled", true)).status()).isEqualTo(200);
        assertThat(dave.get("/api/sessions").status()).isEqualTo(401);
        assertThat(UserClient.anonymous(server.baseUrl()).post("/api/auth/login", Map.of("name", "dave", "password", PASSWORD))
                .status()).isEqualTo(401);
        assertThat(admin.post("/api/admin/users/disable", Map.of("user_id", id, "disabled", false)).status()).isEqualTo(200);
        assertThat(UserClient.login(server.baseUrl(), "dave", PASSWORD).get("/api/sessions").status()).isEqualTo(200);
    }

    @Test
    void onlyAnAdminManagesUsers() {
        UserClient erin = newUser("erin");
        assertThat(erin.get("/api/admin/users").status()).isEqualTo(403);
        assertThat(erin.post("/api/admin/users", Map.of("name", "mallory", "password", PASSWORD)).status()).isEqualTo(403);
        assertThat(admin.get("/api/admin/users").json().path("users").findValuesAsText("name")).doesNotContain("mallory");
    }

    @Test
    void apiTokensWorkAsBearerUntilRevokedAndAreShownOnce() {
        UserClient frank = newUser("frank");
        TestServer.Response issued = frank.post("/api/tokens", Map.of("name", "script"));
        String secret = issued.json().path("secret").asText();
        String tokenId = issued.json().path("token").path("token_id").asText();
        UserClient script = UserClient.withToken(server.baseUrl(), secret);
        assertThat(script.post("/api/session/new", Map.of()).status()).isEqualTo(200);
        assertThat(frank.get("/api/tokens").body()).doesNotContain(secret);
        assertThat(frank.post("/api/tokens/revoke", Map.of("token_id", tokenId)).status()).isEqualTo(200);
        assertThat(script.get("/api/sessions").status()).isEqualTo(401);
    }

    @Test
    void aTokenCannotCreateTokens() {
        UserClient henry = newUser("henry");
        String secret = henry.post("/api/tokens", Map.of("name", "script")).json().path("secret").asText();
        UserClient script = UserClient.withToken(server.baseUrl(), secret);

        TestServer.Response minted = script.post("/api/tokens", Map.of("name", "successor"));

        assertThat(minted.status()).isEqualTo(403);
        assertThat(minted.json().path("code").asText()).isEqualTo("token_cannot_issue");
        assertThat(henry.get("/api/tokens").json().path("tokens").size()).isEqualTo(1);
    }

    @Test
    void aStateChangingRequestFromAnotherSiteIsRefusedAndWritesNothing() {
        UserClient grace = newUser("grace");
        int before = grace.get("/api/sessions").json().path("sessions").size();
        UserClient forged = UserClient.anonymous(server.baseUrl()).header("Cookie", grace.headers().get("Cookie"))
                .header("Origin", "https://evil.example");
        TestServer.Response r = forged.post("/api/session/new", Map.of());
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.json().path("code").asText()).isEqualTo("cross_origin");
        UserClient crossSite = UserClient.anonymous(server.baseUrl()).header("Cookie", grace.headers().get("Cookie"))
                .header("Sec-Fetch-Site", "cross-site");
        assertThat(crossSite.post("/api/session/new", Map.of()).status()).isEqualTo(403);
        assertThat(grace.get("/api/sessions").json().path("sessions").size()).isEqualTo(before);
    }

    @Test
    void aCookieRequestWithNeitherOriginNorFetchSiteOrWithFetchSiteNoneIsRefusedButATokenNeedsNeither() {
        UserClient ivy = newUser("ivy");
        int before = ivy.get("/api/sessions").json().path("sessions").size();
        UserClient bare = UserClient.anonymous(server.baseUrl()).header("Cookie", ivy.headers().get("Cookie"));
        TestServer.Response r = bare.post("/api/session/new", Map.of());
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.json().path("code").asText()).isEqualTo("origin_required");
        UserClient none = UserClient.anonymous(server.baseUrl()).header("Cookie", ivy.headers().get("Cookie"))
                .header("Sec-Fetch-Site", "none");
        assertThat(none.post("/api/session/new", Map.of()).json().path("code").asText()).isEqualTo("cross_origin");
        assertThat(ivy.get("/api/sessions").json().path("sessions").size()).isEqualTo(before);

        UserClient sameOrigin = UserClient.anonymous(server.baseUrl()).header("Cookie", ivy.headers().get("Cookie"))
                .header("Sec-Fetch-Site", "same-origin");
        assertThat(sameOrigin.post("/api/session/new", Map.of()).status()).isEqualTo(200);
        String secret = ivy.post("/api/tokens", Map.of("name", "script")).json().path("secret").asText();
        assertThat(UserClient.withToken(server.baseUrl(), secret).post("/api/session/new", Map.of()).status())
                .isEqualTo(200); // a script with a token sends neither header, and needs neither
        assertThat(ivy.get("/api/sessions").json().path("sessions").size()).isEqualTo(before + 2);
    }

    @Test
    void everyAnswerCarriesTheSecurityHeaders() {
        for (String path : new String[] {"/", "/login.html", "/api/sessions", "/health"}) {
            HttpResponse<String> r = admin.raw("GET", path, null);
            assertThat(r.headers().firstValue("Content-Security-Policy").orElse(""))
                    .contains("frame-ancestors 'none'").contains("script-src 'self'").doesNotContain("unsafe-inline");
            assertThat(r.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
            assertThat(r.headers().firstValue("Referrer-Policy")).isPresent();
        }
    }

    @Test
    void anUploadedSvgOrHtmlIsServedAsADownloadNeverInline() {
        String session = admin.post("/api/session/new", Map.of()).json().path("session").path("session_id").asText();
        for (String[] file : new String[][] {{"evil.svg", "image/svg+xml"}, {"evil.html", "text/html"}}) {
            HttpResponse<String> up = admin.send(Multipart.upload(server.baseUrl(), session, file[0], file[1],
                    "<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>".getBytes(StandardCharsets.UTF_8)));
            String id = up.body().replaceAll(".*\"attachment_id\":\"([^\"]+)\".*", "$1");
            HttpResponse<String> r = admin.raw("GET", "/api/attachment?attachment_id=" + id, null);
            assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/octet-stream");
            assertThat(r.headers().firstValue("Content-Disposition").orElse("")).startsWith("attachment");
            assertThat(r.headers().firstValue("Content-Security-Policy").orElse("")).contains("sandbox");
        }
    }

    @Test
    void aServerThatRequiresLoginRefusesToStartWithoutAWayIn() {
        assertThatThrownBy(() -> TestServer.with(ScriptedModel.autoReply("x"), Map.of("TETHER_AUTH", "on")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("user add --admin");
    }
}
