package dev.tether.bench;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** The measurements of the performance issue; each returns one JSON-ready result. */
final class Scenarios {
    private static final int WIRE_WARMUP_S = 3;
    /** The label of a run against a Tether server (the floor's runs are labelled {@code floor}). */
    static final String TETHER = "tether";
    private final Lab lab;
    private final BenchOptions o;

    Scenarios(Lab lab) {
        this.lab = lab;
        this.o = lab.o;
    }

    /** A result's first fields: what ran, and the machine's load before it. */
    static Map<String, Object> head(String scenario, String label) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("scenario", scenario);
        r.put("label", label);
        r.put("load_before", ProcStats.load());
        return r;
    }

    /** CPU of one minimal turn (start, one token, end; each in a new session) at a modest concurrency of 50. */
    Map<String, Object> unit() {
        Map<String, Object> r = head("unit", "unit");
        try (ChildJvm server = lab.server("unit")) {
            lab.warmup(server);
            int users = Math.min(50, o.unitTurns());
            // A session per turn: every turn sends a one-message history, so the cost per turn does
            // not grow with the conversation (the same 50 sessions reached 240 messages each).
            List<String> sessions = lab.sessions(server.port(), o.unitTurns(), o.unitModel());
            TurnMetrics m = new TurnMetrics(0);
            Cpu a = Cpu.mark(server, lab.provider);
            Lab.forEach(users, i -> {
                TurnClient c = new TurnClient(server.port(), Lab.READ_TIMEOUT_MS);
                for (int t = i; t < o.unitTurns(); t += users) {
                    c.run(sessions.get(t), o.unitModel(), 1, m, true);
                }
                c.close();
            });
            Cpu b = Cpu.mark(server, lab.provider);
            double perTurn = a.serverSeconds(b) * 1e6 / Math.max(1, m.completed.sum());
            lab.turnCpuMicros = perTurn;
            r.put("concurrency", users);
            r.putAll(m.summary());
            r.put("cpu", a.until(b));
            r.put("turns_per_s", Cpu.round(m.completed.sum() / a.wallSeconds(b)));
            r.put("server_cpu_us_per_turn", Math.round(perTurn));
        }
        r.put("load_after", ProcStats.load());
        return r;
    }

    /** N sessions start a paced turn at the same instant. */
    Map<String, Object> burst(int n) {
        Map<String, Object> r = head("burst", TETHER);
        r.put("n", n);
        try (ChildJvm server = lab.server("burst-" + n)) {
            lab.warmup(server);
            Fired f = burstOn(r, new Target(server, lab.provider), n);
            r.put("server_rss_peak_mib", f.rssPeakMib);
            r.put("server_threads_peak", f.threadsPeak);
            postgresAfterLoad(r, server, f, (Long) r.get("tokens_received"));
        }
        r.put("load_after", ProcStats.load());
        return r;
    }

    /** The same burst with no server: the client asks the provider itself (see {@link Target}). */
    Map<String, Object> floorBurst(int n) {
        Map<String, Object> r = head("burst", "floor");
        r.put("n", n);
        Target floor = Target.floor(lab.provider);
        lab.warmup(floor);
        burstOn(r, floor, n);
        r.put("load_after", ProcStats.load());
        return r;
    }

    private Fired burstOn(Map<String, Object> r, Target target, int n) {
        TurnMetrics m = new TurnMetrics(o.firstMs() * 1000L);
        Fired f = fire(target, n, o.pacedModel(), o.tokens(), m);
        r.putAll(m.summary());
        r.put("cpu", f.a.until(f.b));
        if (!target.floor()) {
            unitCosts(r, f.a.serverSeconds(f.b), m);
        }
        return f;
    }

    /**
     * N sessions start an unpaced turn of many tokens at once: raw relay throughput, and the
     * journal's share of the server's CPU in it (see {@link Cpu#journalShare}).
     */
    Map<String, Object> flood(int n) {
        Map<String, Object> r = head("flood", TETHER);
        r.put("n", n);
        r.put("tokens_per_turn", o.floodTokens());
        try (ChildJvm server = lab.server("flood-" + n)) {
            lab.warmup(server);
            TurnMetrics m = new TurnMetrics(0);
            Fired f = fire(new Target(server, lab.provider), n, o.floodModel(), o.floodTokens(), m);
            double wall = (m.lastEndNanos.get() - f.a.nanos()) / 1e9;
            r.put("completed", m.completed.sum());
            r.put("errors", m.errors());
            r.put("tokens_received", m.tokens.sum());
            r.put("wall_to_last_turn_s", Cpu.round(wall));
            r.put("tokens_per_s", Math.round(m.tokens.sum() / wall));
            r.put("cpu", f.a.until(f.b));
            r.put("server_cpu_us_per_token", Cpu.round(f.a.serverSeconds(f.b) * 1e6 / Math.max(1, m.tokens.sum())));
            r.put("journal_share_of_server_cpu", f.a.journalShare(f.b));
            r.put("server_rss_peak_mib", f.rssPeakMib);
            postgresAfterLoad(r, server, f, m.tokens.sum());
        }
        r.put("load_after", ProcStats.load());
        return r;
    }

    private record Fired(Cpu a, Cpu b, long rssPeakMib, long threadsPeak) {}

    /**
     * PostgreSQL's side of a run that ends with its load (burst, flood): its counters are read once
     * the server's backends have flushed their statistics; the CPU is read when the load ended.
     */
    private static void postgresAfterLoad(Map<String, Object> r, ChildJvm server, Fired f, long tokens) {
        if (f.a.pg() == null) {
            return;
        }
        Lab.sleep(BenchPostgres.STATS_FLUSH_MS);
        BenchPostgres.Mark end = server.databaseMark().withCpuOf(f.b.pg());
        r.put("postgresql", f.a.pg().until(end, tokens, f.a.wallSeconds(f.b)));
    }

    /** Creates n sessions and connections, then starts all n turns at one instant and waits for them. */
    private Fired fire(Target target, int n, String model, int tokens, TurnMetrics m) {
        List<String> sessions = target.sessions(lab, n, model);
        List<TurnClient> clients = target.clients(n);
        Lab.connectAll(clients);
        CountDownLatch ready = new CountDownLatch(n);
        CountDownLatch go = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(n);
        for (int i = 0; i < n; i++) {
            int k = i;
            Thread.ofVirtual().start(() -> {
                try {
                    ready.countDown();
                    go.await();
                    clients.get(k).run(sessions.get(k), model, tokens, m, true);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    done.countDown();
                }
            });
        }
        await(ready, "tabs at the gate"); // every tab is waiting at the gate: the burst is one instant
        ChildJvm measured = target.measured();
        try (ProcStats.Peaks peaks = new ProcStats.Peaks(measured.pid())) {
            Cpu a = target.cpu();
            go.countDown();
            try {
                if (!done.await(10, TimeUnit.MINUTES)) {
                    m.error("bench_timeout");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Cpu b = target.cpu();
            clients.forEach(TurnClient::close);
            return new Fired(a, b, Math.max(peaks.rssMb(), measured.stats().hwmKb() / 1024), peaks.threads());
        }
    }

    private void unitCosts(Map<String, Object> r, double serverCpu, TurnMetrics m) {
        long turns = Math.max(1, m.completed.sum());
        long tokens = Math.max(1, m.tokens.sum());
        r.put("server_cpu_us_per_turn_all_in", Math.round(serverCpu * 1e6 / turns));
        if (!Double.isNaN(lab.turnCpuMicros)) {
            r.put("server_cpu_us_per_token_net", Cpu.round((serverCpu * 1e6 - turns * lab.turnCpuMicros) / tokens));
        }
    }

    /** M users keep one paced turn each running for the duration, staggered so turns end evenly. */
    Map<String, Object> sustained(int users) {
        Map<String, Object> r = head("sustained", "m" + users);
        r.put("m", users);
        r.put("duration_s", o.durationS());
        try (ChildJvm server = lab.server("sustained-" + users)) {
            lab.warmup(server);
            sustainOn(r, new Target(server, lab.provider), users);
        }
        r.put("load_after", ProcStats.load());
        return r;
    }

    /** The same sustained load with no server: the client asks the provider itself (see {@link Target}). */
    Map<String, Object> floorSustained(int users) {
        Map<String, Object> r = head("sustained", "floor");
        r.put("m", users);
        r.put("duration_s", o.durationS());
        Target floor = Target.floor(lab.provider);
        lab.warmup(floor);
        sustainOn(r, floor, users);
        r.put("load_after", ProcStats.load());
        return r;
    }

    private void sustainOn(Map<String, Object> r, Target target, int users) {
        List<String> sessions = target.sessions(lab, users, o.pacedModel());
        List<TurnClient> clients = target.clients(users);
        Lab.connectAll(clients);
        long turnMs = o.firstMs() + o.tokens() * 1000L / o.rate();
        TurnMetrics m = new TurnMetrics(o.firstMs() * 1000L);
        long startMicros = BenchProvider.epochMicros();
        long rampMs = turnMs + 2000;
        m.measureFrom = startMicros + Math.min(rampMs, o.durationS() * 500L) * 1000;
        m.measureTo = startMicros + o.durationS() * 1_000_000L;
        Cpu[] cpu = new Cpu[2];
        long[] peaks = new long[2];
        Thread meter = Thread.ofPlatform().daemon().start(() -> {
            sleepUntil(m.measureFrom);
            cpu[0] = target.cpu();
            try (ProcStats.Peaks p = new ProcStats.Peaks(target.measured().pid())) {
                sleepUntil(m.measureTo);
                cpu[1] = target.cpu();
                peaks[0] = p.rssMb();
                peaks[1] = p.threads();
            }
        });
        Lab.forEach(users, i -> {
            Lab.sleep(i * turnMs / users);
            TurnClient c = clients.get(i);
            while (BenchProvider.epochMicros() < m.measureTo) {
                boolean measured = BenchProvider.epochMicros() >= m.measureFrom;
                c.run(sessions.get(i), o.pacedModel(), o.tokens(), m, measured);
            }
            c.close();
        });
        join(meter);
        double window = (m.measureTo - m.measureFrom) / 1e6;
        long tokens = Math.max(1, m.windowTokens.sum());
        r.putAll(m.summary());
        r.put("window_s", Cpu.round(window));
        r.put("window_tokens", m.windowTokens.sum());
        r.put("tokens_per_s", Math.round(m.windowTokens.sum() / window));
        r.put("cpu", cpu[0].until(cpu[1]));
        if (target.floor()) {
            r.put("provider_and_client_cpu_us_per_token", Cpu.round((cpu[1].provider() - cpu[0].provider()
                    + cpu[1].client() - cpu[0].client()) * 1e6 / tokens));
        } else {
            r.put("server_cpu_us_per_token_all_in", Cpu.round(cpu[0].serverSeconds(cpu[1]) * 1e6 / tokens));
            r.put("journal_share_of_server_cpu", cpu[0].journalShare(cpu[1]));
            r.put("server_rss_peak_mib", peaks[0]);
            r.put("server_threads_peak", peaks[1]);
            if (cpu[0].pg() != null) {
                r.put("postgresql", cpu[0].pg().until(cpu[1].pg(), m.windowTokens.sum(), window));
            }
        }
    }

    /** One loopback hop at the sustained shape's token rate, with the leanest design (see {@link Wire}). */
    Map<String, Object> wire(int streams) {
        Map<String, Object> r = head("wire", "m" + streams);
        try {
            r.putAll(Wire.measure(streams, o.rate(), WIRE_WARMUP_S, o.durationS()));
        } catch (IOException e) {
            throw new IllegalStateException("wire: " + e, e);
        }
        r.put("load_after", ProcStats.load());
        return r;
    }

    private static void sleepUntil(long epochMicros) {
        long left = (epochMicros - BenchProvider.epochMicros()) / 1000;
        if (left > 0) {
            Lab.sleep(left);
        }
    }

    private static void join(Thread t) {
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits up to 3 minutes for {@code latch}; says how many of {@code what} were missing if it must go on. */
    static void await(CountDownLatch latch, String what) {
        try {
            if (!latch.await(3, TimeUnit.MINUTES)) {
                System.err.println(latch.getCount() + " " + what + " short after 3 minutes; going on");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
