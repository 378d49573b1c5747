package dev.tether.torture;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tether.support.FakeOpenAiServer;
import dev.tether.support.TestStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * One torture run, top to bottom: provider with a fault per model → server (in process, or a child
 * process that a killer SIGKILLs and restarts) → shared sessions → virtual clients until the
 * deadline (the store checked after every kill and restart) → quiet down (stop every turn) →
 * the global invariants on the final store and on everything the clients saw → the report.
 */
final class TortureRun {
    private static final long QUIET_DOWN_MS = 60_000;

    private final TortureSettings settings;
    private final Ledger ledger = new Ledger();
    private int kills;

    private TortureRun(TortureSettings settings) {
        this.settings = settings;
    }

    static TortureReport run(TortureSettings settings) {
        System.out.println("torture: seed " + settings.seed() + " (replay with " + settings.replay() + ")");
        return new TortureRun(settings).go();
    }

    private TortureReport go() {
        Path dir = tempDir();
        try (FakeOpenAiServer provider = FakeOpenAiServer.start(); TestStore store = TestStore.chosen(dir)) {
            Faults.script(provider);
            System.out.println("torture: store " + store);
            Target target = settings.instances() > 1
                    ? new ClusterTarget(dir, store, Faults.env(provider), settings.instances(), settings.seed())
                    : settings.kills() ? new ProcessTarget(dir, store, Faults.env(provider))
                    : new InProcessTarget(dir, store, Faults.env(provider));
            Http http = new Http(target, ledger);
            RssSampler rss = new RssSampler(target);
            SessionPool pool = new SessionPool(newSessions(http));
            long deadline = Ledger.now() + settings.duration().toMillis();
            List<Thread> threads = new ArrayList<>();
            Thread releaser = Thread.ofVirtual().name("torture-release").start(() -> releaseHangs(provider));
            for (int i = 0; i < settings.clients(); i++) {
                VirtualClient client = new VirtualClient(i, settings.seed() * 31 + i, http, target, ledger, pool, deadline);
                threads.add(Thread.ofVirtual().name("torture-client-" + i).start(client));
            }
            if (target instanceof KillableTarget killable && settings.kills()) {
                killUntil(killable, deadline);
            }
            awaitClients(threads, deadline);
            System.out.println("torture: clients done at " + Ledger.now() + " ms; stopping every turn");
            quietDown(http, target);
            releaser.interrupt();
            rss.close();
            target.close();
            StoreSnapshot last = StoreSnapshot.read(target.store());
            StoreInvariants.check(last, ledger, "final", true);
            ClientInvariants.all(last, ledger, settings.instances() > 1);
            if (settings.kills() && rss.maxMb() > settings.rssLimitMb()) {
                ledger.violation("server RSS reached " + rss.maxMb() + " MB (limit " + settings.rssLimitMb() + " MB)");
            }
            return report(last, rss, target instanceof KillableTarget k ? k.externalKills() : 0);
        }
    }

    private List<String> newSessions(Http http) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < settings.sessions(); i++) {
            Http.Answer a = http.post("new-session", "/api/session/new", "{}", Set.of(200));
            ids.add(a.json().path("session").path("session_id").asText());
        }
        return ids;
    }

    /** Hung provider streams wait for a release; the server has timed them out long before. */
    private static void releaseHangs(FakeOpenAiServer provider) {
        while (!Thread.currentThread().isInterrupted()) {
            VirtualClient.pause(3000);
            provider.release();
        }
    }

    /** SIGKILLs the server at random moments; checks the store while it is down and after recovery. */
    private void killUntil(KillableTarget target, long deadline) {
        Random random = new Random(settings.seed() ^ 0x6b696c6cL);
        long mean = settings.killEvery().toMillis();
        while (true) {
            long gap = mean / 2 + (long) (random.nextDouble() * mean);
            if (Ledger.now() + gap > deadline - 3000) {
                return;
            }
            VirtualClient.pause(gap);
            long killedAt = Ledger.now();
            target.kill();
            kills++;
            String when = "after kill " + kills;
            Map<String, String> turnsBefore = Map.copyOf(ledger.turns);
            long readFrom = Ledger.now();
            StoreSnapshot atKill = StoreSnapshot.read(target.store());
            StoreInvariants.check(atKill, ledger, when, false, readFrom);
            ClientInvariants.durable(atKill, ledger, killedAt, when, turnsBefore);
            VirtualClient.pause(random.nextInt(500));
            target.restart();
            long restartReadFrom = Ledger.now();
            StoreSnapshot afterRestart = StoreSnapshot.read(target.store());
            StoreInvariants.check(afterRestart, ledger, "restart " + kills, false, restartReadFrom);
            StoreInvariants.recovered(atKill, afterRestart, target.diedWithLastKill(), ledger, "restart " + kills);
            System.out.println("torture: kill " + kills + " survived (" + atKill.turns().size() + " turns, "
                    + ledger.operations() + " operations so far, " + ledger.violationCount() + " violations)");
        }
    }

    /** Stops every running turn (queued ones start as each ends, and are stopped too) until all is idle. */
    private void quietDown(Http http, Target target) {
        long until = Ledger.now() + QUIET_DOWN_MS;
        while (Ledger.now() < until) {
            Http.Answer list = http.get("quiet", "/api/sessions?include_archived=1", Set.of(200));
            List<String> active = new ArrayList<>();
            if (list.is(200)) {
                list.json().path("sessions").forEach(s -> {
                    if (!s.path("active_stream_id").isNull()) {
                        active.add(s.path("active_stream_id").asText());
                    }
                });
            }
            if (active.isEmpty()) {
                break;
            }
            active.forEach(turn -> http.post("quiet", "/api/chat/cancel", Map.of("stream_id", turn), Set.of(200, 404)));
        }
        for (String baseUrl : target.baseUrls()) {
            long idleBy = Ledger.now() + 10_000;
            JsonNode health = null;
            while (Ledger.now() < idleBy) {
                health = http.getFrom(baseUrl, "quiet", "/health", Set.of(200)).json();
                if (health != null && health.path("active_streams").asInt() == 0 && health.path("active_turns").asInt() == 0) {
                    break;
                }
                VirtualClient.pause(50);
            }
            if (Ledger.now() >= idleBy) {
                ledger.violation("after stopping every turn the server at " + baseUrl + " still reports " + health);
            }
        }
    }

    private TortureReport report(StoreSnapshot last, RssSampler rss, int externalKills) {
        long events = ledger.runs.stream().mapToLong(r -> r.frames().size()).sum();
        return new TortureReport(settings, ledger.operations(), ledger.operationCounts(), ledger.requests(),
                ledger.turns.size(), last.turns().size(), ledger.runs.size(), events, kills, externalKills, rss.maxMb(),
                ledger.violationCount(), ledger.violations());
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("tether-torture");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits for the clients; one still busy 15 s after the deadline is shown (where is it stuck?). */
    private static void awaitClients(List<Thread> threads, long deadline) {
        for (Thread t : threads) {
            try {
                t.join(Duration.ofMillis(Math.max(1, deadline + 15_000 - Ledger.now())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (Thread t : threads) {
            if (t.isAlive()) {
                StringBuilder where = new StringBuilder();
                for (StackTraceElement e : t.getStackTrace()) {
                    if (e.getClassName().startsWith("dev.tether")) {
                        where.append("\n    at ").append(e);
                    }
                }
                System.out.println("torture: " + t.getName() + " still busy 15 s after the deadline:" + where);
            }
        }
        threads.forEach(TortureRun::join);
    }

    private static void join(Thread t) {
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
