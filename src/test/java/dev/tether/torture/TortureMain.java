package dev.tether.torture;

import dev.tether.support.TestStore;
import java.time.Duration;

/**
 * The long mode ({@code bin/torture}): the server as a child process, SIGKILLed at random moments
 * and restarted on the same data dir while the clients keep going. Prints the counts at the end
 * and exits 1 if any invariant was violated.
 *
 * <pre>bin/torture --minutes 30 [--clients 4] [--sessions 4] [--kill-every 20] [--seed N] [--store postgresql] [--cluster 3]</pre>
 */
public final class TortureMain {
    private TortureMain() {}

    public static void main(String[] args) {
        long seconds = 30 * 60;
        int clients = 4;
        int sessions = 4;
        long killEvery = 20;
        long seed = System.nanoTime();
        long rssLimitMb = 768;
        int instances = 1;
        for (int i = 0; i + 1 < args.length; i += 2) {
            String v = args[i + 1];
            switch (args[i]) {
                case "--minutes" -> seconds = Long.parseLong(v) * 60;
                case "--seconds" -> seconds = Long.parseLong(v);
                case "--clients" -> clients = Integer.parseInt(v);
                case "--sessions" -> sessions = Integer.parseInt(v);
                case "--kill-every" -> killEvery = Long.parseLong(v);
                case "--seed" -> seed = Long.parseLong(v);
                case "--rss-limit-mb" -> rssLimitMb = Long.parseLong(v);
                case "--store" -> System.setProperty(TestStore.PROPERTY, v);
                case "--cluster" -> {
                    instances = Integer.parseInt(v);
                    System.setProperty(TestStore.PROPERTY, "postgresql");
                }
                default -> usage("unknown option " + args[i]);
            }
        }
        if (args.length % 2 != 0) {
            usage("every option takes a value");
        }
        TortureSettings settings = new TortureSettings(seed, Duration.ofSeconds(seconds), clients, sessions,
                killEvery <= 0 ? null : Duration.ofSeconds(killEvery), rssLimitMb, instances);
        TortureReport report = TortureRun.run(settings);
        System.out.println(report.summary());
        System.exit(report.violationCount() == 0 ? 0 : 1);
    }

    private static void usage(String problem) {
        System.err.println(problem);
        System.err.println("usage: bin/torture [--minutes N | --seconds N] [--clients N] [--sessions N]"
                + " [--kill-every SECONDS (0: no kills, in process)] [--seed N] [--rss-limit-mb N]"
                + " [--store sqlite|postgresql (a new database on 127.0.0.1:5432)]"
                + " [--cluster N (N instances on one new PostgreSQL database, clients spread over them, kills hit any)]");
        System.exit(2);
    }
}
