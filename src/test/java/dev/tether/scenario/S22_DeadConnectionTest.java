package dev.tether.scenario;

import static dev.tether.support.TurnLogAssertions.assertWholeTurn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tether.support.ScriptedModel;
import dev.tether.support.ScriptedTether;
import dev.tether.support.SseTestClient;
import dev.tether.support.TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * SCENARIOS.md 22: "A dead connection releases its server resources promptly (write deadline /
 * failed write)."
 *
 * <p>The observable is the operating system's: the test finds the server's end of a client's TCP
 * connection in /proc/net/tcp{,6} and checks that this process stops holding that socket after the
 * client goes away, even while the turn sits in a long pause with nothing to send.
 */
class S22_DeadConnectionTest {
    static final Duration WAIT = Duration.ofSeconds(10);
    @RegisterExtension
    final ScriptedTether tether = new ScriptedTether();
    final ScriptedModel model = tether.model();
    final TestServer server = tether.server();

    @BeforeAll
    static void linuxOnly() {
        Assumptions.assumeTrue(Files.isReadable(Path.of("/proc/net/tcp")) && Files.isDirectory(Path.of("/proc/self/fd")));
    }

    @Test
    void aTabThatVanishesDuringAPauseIsReleasedAndOthersCarryOn() throws Exception {
        String session = server.newSession();
        String turn = server.startTurn(session, "hi");
        ScriptedModel.Call call = model.nextCall(WAIT);
        try (SseTestClient.Connection survivor = server.stream("/api/chat/stream?stream_id=" + turn, Map.of())) {
            String inode;
            try (Socket dead = openRaw("/api/chat/stream?stream_id=" + turn)) {
                call.emit("first");
                readUntil(dead.getInputStream(), "event: token");
                inode = serverSideInode(dead);
                assertThat(holds(inode)).as("server holds its end while the tab is there").isTrue();
            } // the tab dies; the turn now pauses with nothing to send
            await().pollInterval(Duration.ofMillis(20)).atMost(Duration.ofSeconds(5))
                    .until(() -> !holds(inode));

            call.emit(" second").finish();
            assertThat(survivor.awaitEnd(WAIT)).isTrue();
            assertWholeTurn(turn, survivor.events());
            assertThat(survivor.text()).isEqualTo("first second");
        }
        server.awaitIdle(session);
        assertThat(server.messages(session).get(1).path("content").asText()).isEqualTo("first second");
    }

    @Test
    void manyTabsVanishingMidStreamAreAllReleased() throws Exception {
        String session = server.newSession();
        String turn = server.startTurn(session, "hi");
        ScriptedModel.Call call = model.nextCall(WAIT);
        call.emit("x");
        List<String> inodes = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String path = i % 2 == 0 ? "/api/chat/stream?stream_id=" + turn : "/api/session/stream?session_id=" + session;
            try (Socket dead = openRaw(path)) {
                readUntil(dead.getInputStream(), i % 2 == 0 ? "event: token" : "event: initial");
                inodes.add(serverSideInode(dead));
            }
        }
        await().pollInterval(Duration.ofMillis(20)).atMost(Duration.ofSeconds(5))
                .until(() -> inodes.stream().noneMatch(S22_DeadConnectionTest::holds));
        call.finish();
        server.awaitIdle(session);
        assertWholeTurn(turn, server.replay(turn));
    }

    private Socket openRaw(String path) throws IOException {
        Socket s = new Socket("127.0.0.1", server.tether().port());
        s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        return s;
    }

    private static void readUntil(InputStream in, String marker) throws IOException {
        StringBuilder seen = new StringBuilder();
        byte[] buf = new byte[4096];
        while (seen.indexOf(marker) < 0) {
            int n = in.read(buf);
            if (n < 0) {
                throw new AssertionError("connection ended before '" + marker + "': " + seen);
            }
            seen.append(new String(buf, 0, n, StandardCharsets.UTF_8));
        }
    }

    /** The inode of the server's end of {@code client}'s connection, from the kernel's TCP table. */
    private String serverSideInode(Socket client) throws IOException {
        int serverPort = server.tether().port();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path p = Path.of(table);
            if (!Files.isReadable(p)) {
                continue;
            }
            List<String> lines = Files.readAllLines(p); // read once: the table changes between reads
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.trim().split("\\s+");
                if (port(f[1]) == serverPort && port(f[2]) == client.getLocalPort()) {
                    return f[9];
                }
            }
        }
        throw new AssertionError("no server-side socket for client port " + client.getLocalPort());
    }

    private static int port(String hexAddress) {
        return Integer.parseInt(hexAddress.substring(hexAddress.lastIndexOf(':') + 1), 16);
    }

    /** Whether this process (the server runs in it) still has a descriptor open on that socket. */
    private static boolean holds(String inode) {
        String target = "socket:[" + inode + "]";
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path fd : fds) {
                try {
                    if (Files.readSymbolicLink(fd).toString().equals(target)) {
                        return true;
                    }
                } catch (IOException gone) {
                    // closed while we looked
                }
            }
            return false;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
