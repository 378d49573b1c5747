package dev.tether.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Readings of one process from {@code /proc/<pid>}: CPU seconds (user + system), resident memory
 * now and at its peak, and OS threads; plus a sampler that keeps the peaks while a phase runs.
 */
final class ProcStats {
    /** Clock ticks per second of /proc/<pid>/stat (USER_HZ, 100 on Linux x86-64). */
    static final double TICKS = 100.0;

    record Snapshot(double cpuSeconds, long rssKb, long hwmKb, int threads) {}

    private ProcStats() {}

    static Snapshot of(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            double cpu = (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS; // utime, stime
            long rss = 0;
            long hwm = 0;
            int threads = 0;
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = kb(line);
                } else if (line.startsWith("VmHWM:")) {
                    hwm = kb(line);
                } else if (line.startsWith("Threads:")) {
                    threads = Integer.parseInt(line.substring(8).trim());
                }
            }
            return new Snapshot(cpu, rss, hwm, threads);
        } catch (IOException | RuntimeException e) {
            return new Snapshot(0, 0, 0, 0);
        }
    }

    private static long kb(String line) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
    }

    /** CPU seconds per thread kind (thread name with digits folded), from /proc/<pid>/task/<tid>. */
    static java.util.Map<String, Double> byThread(long pid) {
        java.util.Map<String, Double> out = new java.util.TreeMap<>();
        try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path t : (Iterable<Path>) tasks::iterator) {
                try {
                    String stat = Files.readString(t.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replaceAll("[0-9]+", "N");
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    out.merge(name, (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS, Double::sum);
                } catch (IOException | RuntimeException e) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException e) {
            // the process ended
        }
        return out;
    }

    /** {@code later - earlier} per thread kind, largest first, dropping kinds under 0.05 s. */
    static java.util.Map<String, Double> diff(java.util.Map<String, Double> earlier, java.util.Map<String, Double> later) {
        java.util.Map<String, Double> out = new java.util.LinkedHashMap<>();
        later.entrySet().stream()
                .map(e -> java.util.Map.entry(e.getKey(), e.getValue() - earlier.getOrDefault(e.getKey(), 0.0)))
                .filter(e -> e.getValue() >= 0.05)
                .sorted((a, b) -> Double.compare(b.getValue(), a.getValue()))
                .forEach(e -> out.put(e.getKey(), Math.round(e.getValue() * 100) / 100.0));
        return out;
    }

    /** The 1-minute load average, as /proc/loadavg says. */
    static String load() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "?";
        }
    }

    /** Samples a process every 100 ms on a daemon platform thread, keeping peaks, until closed. */
    static final class Peaks implements AutoCloseable {
        private final AtomicLong rssKb = new AtomicLong();
        private final AtomicLong threads = new AtomicLong();
        private volatile boolean done;
        private final Thread thread;

        Peaks(long pid) {
            thread = Thread.ofPlatform().daemon().name("proc-sampler").start(() -> {
                while (!done) {
                    Snapshot s = of(pid);
                    rssKb.accumulateAndGet(s.rssKb(), Math::max);
                    threads.accumulateAndGet(s.threads(), Math::max);
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
        }

        long rssMb() {
            return rssKb.get() / 1024;
        }

        long threads() {
            return threads.get();
        }

        @Override
        public void close() {
            done = true;
            thread.interrupt();
        }
    }
}
