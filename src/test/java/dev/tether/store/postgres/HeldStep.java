package dev.tether.store.postgres;

import dev.tether.session.SessionRecords;
import dev.tether.session.SessionStore;
import dev.tether.support.DelegatingSessionStore;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BiPredicate;

/**
 * A store whose transactions stop, inside the transaction and holding whatever it locked so far,
 * right after the first primitive that {@code holdAfter} picks: the test learns it got there
 * ({@link #reached}), races another step against it, then {@link #release}s it. Only the first
 * such primitive stops; later ones run freely.
 */
final class HeldStep extends DelegatingSessionStore {
    private final BiPredicate<Method, Object[]> holdAfter;
    private final CountDownLatch reached = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);

    HeldStep(SessionStore delegate, BiPredicate<Method, Object[]> holdAfter) {
        super(delegate);
        this.holdAfter = holdAfter;
    }

    /** Waits until a transaction stopped at the primitive; false if none did in time. */
    boolean reached() throws InterruptedException {
        return reached.await(30, TimeUnit.SECONDS);
    }

    void release() {
        release.countDown();
    }

    @Override
    public <T> T transact(Transaction<T> work) {
        return super.transact(records -> work.run(holding(records)));
    }

    private SessionRecords holding(SessionRecords records) {
        return (SessionRecords) Proxy.newProxyInstance(SessionRecords.class.getClassLoader(),
                new Class<?>[] {SessionRecords.class}, (proxy, method, args) -> {
                    Object result;
                    try {
                        result = method.invoke(records, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                    if (reached.getCount() > 0 && holdAfter.test(method, args)) {
                        reached.countDown();
                        if (!release.await(30, TimeUnit.SECONDS)) {
                            throw new IllegalStateException("the test never released the held step");
                        }
                    }
                    return result;
                });
    }
}
