package dev.tether.support;

import dev.tether.session.SessionStore;
import dev.tether.store.SessionStoreContract;

/** The in-memory store used for model checking keeps the same contract as the SQL stores. */
class InMemorySessionStoreTest extends SessionStoreContract {
    @Override
    protected SessionStore openStore() {
        return new InMemorySessionStore();
    }
}
