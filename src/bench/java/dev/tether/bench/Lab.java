package dev.tether.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToDoubleFunction;
import java.util.regex.Pattern;

/**
 * The benchmark's bench: the provider process (shared by all runs), fresh Tether servers on fresh
 * data dirs, and the chores every scenario needs (warm-up, sessions, connections, server GC).
 */
final class Lab implements AutoCloseable {
    static final Pattern SERVER_PORT = Pattern.compile("listening on http://[^:]+:(\\d+)/");
    static final Pattern PROVIDER_PORT = Pattern.compile("provider listening on (\\d+)");
    static final int READ_TIMEOUT_MS = 120_000;
    static final int WARMUP_TURNS_PER_SESSION = 10;
    static final int REHEARSAL_TURNS = 500;
    static final int REHEARSAL_MIN_ROUNDS = 2;
    static final int REHEARSAL_MAX_ROUNDS = 8;
    /** The warm-up ends once a rehearsal round spends less than this share of server CPU compiling. */
    static final double STEADY_JIT_SHARE = 0.05;
    static final long SETTLE_MAX_MS = 60_000;
    /** Smaller warm-ups (the self-test's smoke runs) do not wait for the JIT. */
    static final int SETTLE_MIN_WARMUP = 100;
    static final long SETTLE_STEP_MS = 1_000;
    static final double SETTLE_QUIET_CPU_S = 0.02;

    final BenchOptions o;
    final ChildJvm provider;
    private int runs;
    /** The store the next servers run on: one of {@link BenchOptions#STORES}; set by {@link Bench}. */
    private String store = "sqlite";
    private final BenchPostgres postgres;
    /** Databases made for servers that have run; each is dropped when the next server starts, and at the end. */
    private final List<String> databases = new ArrayList<>();
    /** CPU µs of one whole minimal turn (start, one token, end), once the unit scenario measured it. */
    volatile double turnCpuMicros = Double.NaN;

    Lab(BenchOptions o) {
        this.o = o;
        this.provider = ChildJvm.start(System.getProperty("java.class.path"), List.of("-XX:+UseParallelGC", "-Xmx1g"),
                Bench.class.getName(), List.of("provider"), Map.of(), PROVIDER_PORT, o.out().resolve("provider.log"));
        this.postgres = new BenchPostgres(o.postgres(), "postgres");
    }

    void useStore(String name) {
        store = name;
    }

    String store() {
        return store;
    }

    /** A fresh server for one run. */
    ChildJvm server(String label) {
        String name = String.format("%02d-%s-%s", ++runs, label, store);
        dropDatabases();
        Path dir = o.out().resolve("runs").resolve(name);
        Map<String, String> e = new HashMap<>();
        e.put("TETHER_DATA_DIR", dir.resolve("data").toAbsolutePath().toString());
        e.put("TETHER_PORT", "0");
        e.put("TETHER_HOST", "127.0.0.1");
        e.put("TETHER_OPENAI_BASE_URL", "http://127.0.0.1:" + provider.port() + "/v1");
        e.put("TETHER_OPENAI_MODELS", String.join(",", o.models()));
        // Every simulated tab is the one local user here: lift the per-user limits (not under test).
        e.put("TETHER_TURNS_PER_MINUTE", "100000");
        e.put("TETHER_STREAMS_PER_USER", "1000000");
        e.put("TETHER_CONNECTIONS_PER_ADDRESS", "1000000");
        e.put("TETHER_MAX_CONNECTIONS", "1000000");
        // Warnings only, as before the line per request: the runs measure serving, not logging.
        e.put("TETHER_LOG_LEVEL", "warn");
        String database = null;
        if (store.equals("postgresql")) {
            database = "tether_bench_" + ProcessHandle.current().pid() + "_" + runs;
            postgres.create(database);
            databases.add(database);
            e.put("TETHER_DATABASE_URL", postgres.url(database));
        }
        List<String> flags = new ArrayList<>(o.serverJvm());
        if (o.jfr()) {
            flags.add("-XX:StartFlightRecording=filename=" + dir.resolve("server.jfr").toAbsolutePath() + ",settings=profile");
        }
        ChildJvm server = ChildJvm.start(o.serverClasspath(), flags, "dev.tether.Main", List.of(), e, SERVER_PORT,
                dir.resolve("server.log"));
        if (database != null) {
            server.runsOn(postgres, database);
        }
        return server;
    }

    /** Drops the databases of servers that have run (each server is closed before the next starts). */
    private void dropDatabases() {
        databases.forEach(postgres::drop);
        databases.clear();
    }

    /**
     * Brings the server's JIT to a steady state before measuring: short unpaced turns, then rehearsal
     * rounds shaped like the measurement (paced tokens, first-token delay, hundreds started at once)
     * until one spends under {@link #STEADY_JIT_SHARE} of the server's CPU in the compiler threads.
     * Unpaced turns alone left C2 code compiled for a different profile: in the first measured burst
     * ~500 methods were deoptimized and recompiled, and compiler threads took a third of the server's
     * CPU. A server that has been up a while has these profiles; a benchmark should too.
     */
    void warmup(ChildJvm server) {
        warmup(new Target(server, provider));
    }

    /**
     * The same warm-up for any target. On the floor it warms the load client and the provider (this
     * process's compiler threads decide when the rehearsals are done), and there is no server to settle.
     */
    void warmup(Target target) {
        if (o.warmup() <= 0) {
            return;
        }
        long jitPid = target.floor() ? ProcessHandle.current().pid() : target.server().pid();
        int users = Math.min(50, o.warmup());
        TurnMetrics m = new TurnMetrics(0);
        // A few turns per session, as users have them: one session per tab would reach hundreds of
        // messages and warm up the history encoder instead of the turn path.
        // Each tab takes its own next session every few turns, so no two tabs share one.
        List<String> sessions = target.sessions(this, o.warmup() / WARMUP_TURNS_PER_SESSION + users, o.warmupModel());
        forEach(users, i -> {
            TurnClient c = target.client();
            for (int t = i, k = 0; t < o.warmup(); t += users, k++) {
                c.run(sessions.get(k / WARMUP_TURNS_PER_SESSION * users + i), o.warmupModel(), 20, m, false);
            }
            c.close();
        });
        int rehearsal = Math.min(REHEARSAL_TURNS, o.warmup() / 2);
        for (int round = 0; round < REHEARSAL_MAX_ROUNDS && rehearsal > 0; round++) {
            Map<String, Double> before = ProcStats.byThread(jitPid);
            List<String> paced = target.sessions(this, rehearsal, o.rehearsalModel());
            List<TurnClient> clients = target.clients(rehearsal);
            connectAll(clients);
            forEach(rehearsal, i -> {
                clients.get(i).run(paced.get(i), o.rehearsalModel(), BenchOptions.REHEARSAL_TOKENS, m, false);
                clients.get(i).close();
            });
            Map<String, Double> used = ProcStats.diff(before, ProcStats.byThread(jitPid));
            double all = used.values().stream().mapToDouble(Double::doubleValue).sum();
            double jit = used.entrySet().stream().filter(e -> e.getKey().contains("Compiler"))
                    .mapToDouble(Map.Entry::getValue).sum();
            System.err.printf("warm-up rehearsal %d: compiler %.2f of %.2f %s CPU-s%n", round + 1, jit, all,
                    target.floor() ? "client" : "server");
            if (round + 1 >= REHEARSAL_MIN_ROUNDS && jit < STEADY_JIT_SHARE * all) {
                break;
            }
        }
        if (!target.floor() && o.warmup() >= SETTLE_MIN_WARMUP) {
            settleJit(target.server());
        }
    }

    /**
     * Waits (at most {@link #SETTLE_MAX_MS}) until the server's JIT compiler threads are nearly idle.
     * On two cores the C2 queue drains slowly while load runs: methods compiled at tier 2/3 early in
     * the warm-up reached tier 4 only 10+ s later, so without this the measured run paid for the
     * warm-up's compilations (compiler threads ≈ a third of server CPU).
     */
    static void settleJit(ChildJvm server) {
        if (!settle(server, Lab::compilerSeconds, SETTLE_QUIET_CPU_S, SETTLE_STEP_MS, SETTLE_MAX_MS)) {
            System.err.println("warm-up: the server's JIT was still compiling after " + SETTLE_MAX_MS + " ms");
        }
    }

    /**
     * Waits (at most 10 s) until the server is nearly idle: under a tenth of a core over half a
     * second. The idle scenario measures memory once the server has finished with its connections.
     */
    static void awaitQuiet(ChildJvm server) {
        if (!settle(server, s -> s.stats().cpuSeconds(), 0.05, 500, 10_000)) {
            System.err.println("idle: the server was still busy after 10 s; measuring anyway");
        }
    }

    /** Polls {@code cpu} every {@code stepMs} until it grows by less than {@code quietCpuS} in a step. */
    private static boolean settle(ChildJvm server, ToDoubleFunction<ChildJvm> cpu, double quietCpuS, long stepMs,
                                  long maxMs) {
        long deadline = System.nanoTime() + maxMs * 1_000_000L;
        double before = cpu.applyAsDouble(server);
        while (System.nanoTime() < deadline) {
            sleep(stepMs);
            double now = cpu.applyAsDouble(server);
            if (now - before < quietCpuS) {
                return true;
            }
            before = now;
        }
        return false;
    }

    private static double compilerSeconds(ChildJvm server) {
        return ProcStats.byThread(server.pid()).entrySet().stream()
                .filter(e -> e.getKey().contains("Compiler")).mapToDouble(Map.Entry::getValue).sum();
    }

    /** {@code n} new sessions, created 16 at a time. */
    List<String> sessions(int port, int n, String model) {
        String[] ids = new String[n];
        int workers = Math.min(16, n);
        forEach(workers, w -> {
            TurnClient c = new TurnClient(port, READ_TIMEOUT_MS);
            try {
                for (int i = w; i < n; i += workers) {
                    ids[i] = c.newSession(model);
                }
            } catch (IOException e) {
                throw new IllegalStateException("could not create sessions: " + e, e);
            } finally {
                c.close();
            }
        });
        return List.of(ids);
    }

    /** Runs {@code body(i)} for i in [0, n) on virtual threads and waits for all; rethrows the first failure. */
    static void forEach(int n, java.util.function.IntConsumer body) {
        CountDownLatch done = new CountDownLatch(n);
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        for (int i = 0; i < n; i++) {
            int k = i;
            Thread.ofVirtual().start(() -> {
                try {
                    body.accept(k);
                } catch (RuntimeException e) {
                    failure.compareAndSet(null, e);
                } finally {
                    done.countDown();
                }
            });
        }
        try {
            done.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (failure.get() != null) {
            throw failure.get();
        }
    }

    /** Opens one connection per client, at most 256 connects at a time. */
    static void connectAll(List<TurnClient> clients) {
        Semaphore gate = new Semaphore(256);
        forEach(clients.size(), i -> {
            gate.acquireUninterruptibly();
            try {
                clients.get(i).connect();
            } catch (IOException e) {
                throw new IllegalStateException("connect failed: " + e, e);
            } finally {
                gate.release();
            }
        });
    }

    /** Runs a full GC in the server and returns its heap in use, in MiB (from /metrics). */
    static double serverHeapAfterGc(ChildJvm server) {
        try {
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                    Long.toString(server.pid()), "GC.run").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            p.waitFor(60, TimeUnit.SECONDS); // GC.run returns once the collection is done
            TurnClient c = new TurnClient(server.port(), READ_TIMEOUT_MS);
            String metrics = c.conn().exchange("GET", "/metrics", null);
            c.close();
            double heap = 0; // Micrometer gives one series per heap pool: jvm_memory_used_bytes{area="heap",id=...}
            boolean found = false;
            for (String line : metrics.split("\n")) {
                if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
                    heap += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1).trim());
                    found = true;
                }
            }
            if (found) {
                return Math.round(heap / 1048576.0 * 10) / 10.0;
            }
        } catch (IOException e) {
            System.err.println("could not read the server's heap: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Double.NaN;
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        provider.close();
        dropDatabases();
    }
}
