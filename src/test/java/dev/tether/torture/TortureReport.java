package dev.tether.torture;

import java.util.List;
import java.util.Map;

/** What a torture run did and found; {@link #summary()} is what the long mode prints at the end. */
record TortureReport(TortureSettings settings, long operations, Map<String, Long> operationCounts, long requests,
                     int turnsAnswered, int turnsInStore, long subscriberRuns, long eventsReceived, int kills, int externalKills,
                     long maxRssMb, long violationCount, List<String> violations) {

    String summary() {
        StringBuilder sb = new StringBuilder();
        sb.append("==== Tether torture run ====\n");
        sb.append("seed                 ").append(settings.seed()).append("  (replay: ").append(settings.replay()).append(")\n");
        sb.append("duration             ").append(settings.duration().toSeconds()).append(" s, ")
                .append(settings.clients()).append(" clients on ").append(settings.sessions()).append(" sessions\n");
        sb.append("operations run       ").append(operations).append("  ").append(operationCounts).append('\n');
        sb.append("HTTP requests        ").append(requests).append('\n');
        sb.append("turns                ").append(turnsAnswered).append(" started by clients, ")
                .append(turnsInStore).append(" in the store at the end\n");
        sb.append("subscriber runs      ").append(subscriberRuns).append(" (").append(eventsReceived)
                .append(" events received)\n");
        sb.append("kills survived       ").append(kills);
        if (externalKills > 0) {
            sb.append(" (plus ").append(externalKills).append(" SIGKILLs from outside this run while starting, retried)");
        }
        sb.append('\n');
        sb.append("max server RSS       ").append(maxRssMb).append(" MB (limit ").append(settings.rssLimitMb())
                .append(" MB").append(settings.kills() ? "" : ", in-process: whole test JVM, not judged").append(")\n");
        sb.append("invariant violations ").append(violationCount).append('\n');
        violations.stream().limit(30).forEach(v -> sb.append("  - ").append(v).append('\n'));
        return sb.toString();
    }
}
