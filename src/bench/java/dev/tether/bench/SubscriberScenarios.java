package dev.tether.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;

/** The measurements of subscribers that read rather than start turns: idle session channels, and replays. */
final class SubscriberScenarios {
    private final Lab lab;
    private final BenchOptions o;

    SubscriberScenarios(Lab lab) {
        this.lab = lab;
        this.o = lab.o;
    }

    /** K open session-channel subscribers: what each costs the server in RSS and heap. */
    Map<String, Object> idle(int k) {
        Map<String, Object> r = Scenarios.head("idle", "k" + k);
        r.put("k", k);
        try (ChildJvm server = lab.server("idle-" + k)) {
            int sessionCount = Math.min(k, 1000);
            List<String> sessions = lab.sessions(server.port(), sessionCount, o.unitModel());
            Lab.awaitQuiet(server);
            double heap0 = Lab.serverHeapAfterGc(server);
            ProcStats.Snapshot s0 = server.stats();
            List<HttpConn> conns = new ArrayList<>();
            CountDownLatch ready = new CountDownLatch(k);
            Semaphore gate = new Semaphore(256);
            long t0 = System.nanoTime();
            ConcurrentHashMap<String, Integer> failures = new ConcurrentHashMap<>();
            for (int i = 0; i < k; i++) {
                String session = sessions.get(i % sessionCount);
                gate.acquireUninterruptibly();
                Thread.ofVirtual().start(() -> subscribe(server.port(), session, conns, ready, gate, failures));
            }
            Scenarios.await(ready, "idle subscribers");
            double connectS = (System.nanoTime() - t0) / 1e9;
            Lab.awaitQuiet(server);
            double heap1 = Lab.serverHeapAfterGc(server);
            ProcStats.Snapshot s1 = server.stats();
            r.put("subscribed", k - ready.getCount());
            r.put("subscribe_failures", new TreeMap<>(failures));
            r.put("connect_all_s", Cpu.round(connectS));
            r.put("server_rss_before_mib", s0.rssKb() / 1024);
            r.put("server_rss_after_mib", s1.rssKb() / 1024);
            r.put("server_heap_before_mib", heap0);
            r.put("server_heap_after_mib", heap1);
            r.put("server_threads", s1.threads());
            r.put("rss_per_connection_kib", Cpu.round((s1.rssKb() - s0.rssKb()) / (double) k));
            r.put("heap_per_connection_kib", Cpu.round((heap1 - heap0) * 1024 / k));
            synchronized (conns) {
                conns.forEach(HttpConn::close);
            }
        }
        r.put("load_after", ProcStats.load());
        return r;
    }

    private static void subscribe(int port, String session, List<HttpConn> conns, CountDownLatch ready, Semaphore gate,
                                  Map<String, Integer> failures) {
        boolean[] counted = {false};
        try {
            HttpConn c = HttpConn.open(port, 0);
            synchronized (conns) {
                conns.add(c);
            }
            c.send("GET", "/api/session/stream?session_id=" + session + "&known_count=0", null, null);
            int status = c.readHead();
            if (status != 200) {
                failures.merge("http_" + status, 1, Integer::sum);
                return;
            }
            c.readSse((name, buf, from, to) -> {
                if (name.equals("initial") && !counted[0]) {
                    counted[0] = true;
                    gate.release();
                    ready.countDown();
                }
                return true;
            });
        } catch (IOException e) {
            if (!counted[0]) {
                failures.merge(e.getClass().getSimpleName() + ": " + e.getMessage(), 1, Integer::sum);
            } // else: closed at the end of the scenario
        } finally {
            if (!counted[0]) {
                gate.release();
            }
        }
    }

    /** A finished turn of {@code events} tokens, read from the start by new subscribers. */
    Map<String, Object> replay(int events) {
        Map<String, Object> r = Scenarios.head("replay", "e" + events);
        r.put("events", events);
        try (ChildJvm server = lab.server("replay-" + events)) {
            lab.warmup(server);
            String session = lab.sessions(server.port(), 1, o.replayModel(events)).getFirst();
            TurnClient writer = new TurnClient(server.port(), Lab.READ_TIMEOUT_MS);
            String turn = writer.run(session, o.replayModel(events), events, new TurnMetrics(0), false);
            writer.close();
            if (turn == null) {
                throw new IllegalStateException("could not write the turn to replay");
            }
            long[] ms = new long[5];
            long frames = 0;
            for (int i = 0; i < ms.length; i++) {
                long[] count = {0};
                long t0 = System.nanoTime();
                try (HttpConn c = HttpConn.open(server.port(), Lab.READ_TIMEOUT_MS)) {
                    c.send("GET", "/api/chat/stream?stream_id=" + turn, null, null);
                    c.readHead();
                    c.readSse((name, buf, from, to) -> {
                        count[0]++;
                        return !name.equals("stream_end");
                    });
                } catch (IOException e) {
                    throw new IllegalStateException("replay failed: " + e, e);
                }
                ms[i] = (System.nanoTime() - t0) / 1000;
                frames = count[0];
            }
            long[] sorted = ms.clone();
            Arrays.sort(sorted);
            r.put("frames_received", frames);
            r.put("first_ms", Samples.ms(ms[0]));
            r.put("median_ms", Samples.ms(sorted[sorted.length / 2]));
            r.put("min_ms", Samples.ms(sorted[0]));
            r.put("all_ms", Arrays.stream(ms).mapToObj(Samples::ms).toList());
        }
        r.put("load_after", ProcStats.load());
        return r;
    }
}
