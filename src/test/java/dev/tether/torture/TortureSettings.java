package dev.tether.torture;

import dev.tether.support.TestStore;
import java.time.Duration;

/**
 * The shape of one torture run. Every value can be set by a system property, so a failing run can
 * be replayed with the seed it printed ({@link #replay()}). The seed fixes each client's sequence
 * of operations, its timing choices and the kill schedule; the threads' interleaving still varies
 * from run to run, which is the point of running it again.
 *
 * @param killEvery mean time between SIGKILLs of the server process (each gap uniform in 0.5x..1.5x);
 *                  null means the server runs in process and is never killed
 * @param instances server processes sharing one PostgreSQL database (1: one server); clients spread
 *                  their requests over them at random, and kills hit any of them
 */
record TortureSettings(long seed, Duration duration, int clients, int sessions, Duration killEvery,
                       long rssLimitMb, int instances) {

    TortureSettings(long seed, Duration duration, int clients, int sessions, Duration killEvery, long rssLimitMb) {
        this(seed, duration, clients, sessions, killEvery, rssLimitMb, 1);
    }

    TortureSettings onInstances(int count) {
        return new TortureSettings(seed, duration, clients, sessions, killEvery, rssLimitMb, count);
    }

    static TortureSettings fromProperties(long seed, Duration duration, int clients, Duration killEvery) {
        long seconds = Long.getLong("torture.seconds", duration.toSeconds());
        String kills = System.getProperty("torture.killEverySeconds");
        return new TortureSettings(
                Long.getLong("torture.seed", seed),
                Duration.ofSeconds(seconds),
                Integer.getInteger("torture.clients", clients),
                Integer.getInteger("torture.sessions", 4),
                kills == null ? killEvery : Long.parseLong(kills) <= 0 ? null : Duration.ofSeconds(Long.parseLong(kills)),
                Long.getLong("torture.rssLimitMb", 768));
    }

    boolean kills() {
        return killEvery != null;
    }

    TortureSettings withSeed(long newSeed) {
        return new TortureSettings(newSeed, duration, clients, sessions, killEvery, rssLimitMb, instances);
    }

    /** How to replay this run: bin/torture options, or the test's system properties. */
    String replay() {
        String store = System.getProperty(TestStore.PROPERTY, "sqlite");
        return "bin/torture --seed " + seed + " --seconds " + duration.toSeconds() + " --clients " + clients
                + " --sessions " + sessions + " --kill-every " + (killEvery == null ? 0 : killEvery.toSeconds())
                + " --store " + store + (instances > 1 ? " --cluster " + instances : "")
                + ", or bin/test -Dtorture.seed=" + seed + " -Dtorture.seconds=" + duration.toSeconds() + " -Dtorture.clients=" + clients
                + " -Dtorture.sessions=" + sessions + " -Dtorture.killEverySeconds="
                + (killEvery == null ? 0 : killEvery.toSeconds()) + " -D" + TestStore.PROPERTY + "=" + store;
    }
}
