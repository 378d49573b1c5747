package dev.tether.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Where a scenario's turns go: a Tether server, or nothing between the load client and the provider.
 * The second is the machine's floor: the same client, the same paced provider and the same measures,
 * so what a target leaves for a server on this machine is measured rather than argued.
 *
 * @param server the Tether server, or null for the floor
 */
record Target(ChildJvm server, ChildJvm provider) {

    static Target floor(ChildJvm provider) {
        return new Target(null, provider);
    }

    boolean floor() {
        return server == null;
    }

    TurnClient client() {
        return floor() ? new TurnClient(provider.port(), Lab.READ_TIMEOUT_MS, true)
                : new TurnClient(server.port(), Lab.READ_TIMEOUT_MS);
    }

    /** {@code n} new sessions on the server; the floor needs none (nulls). */
    List<String> sessions(Lab lab, int n, String model) {
        return floor() ? Collections.nCopies(n, null) : lab.sessions(server.port(), n, model);
    }

    List<TurnClient> clients(int n) {
        List<TurnClient> clients = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            clients.add(client());
        }
        return clients;
    }

    Cpu cpu() {
        return Cpu.mark(server, provider);
    }

    /** The process whose memory and threads are sampled: the server, or the provider on the floor. */
    ChildJvm measured() {
        return floor() ? provider : server;
    }
}
