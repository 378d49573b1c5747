package dev.tether.model;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link ChatModel.DeltaSink} that records every delta, for assertions.
 *
 * <p>Threading: written by the streaming thread, read by the test thread at any time.
 */
public final class RecordingSink implements ChatModel.DeltaSink {

    private final List<ModelDelta> deltas = new CopyOnWriteArrayList<>();

    @Override
    public void accept(ModelDelta delta) {
        deltas.add(delta);
    }

    public List<ModelDelta> deltas() {
        return List.copyOf(deltas);
    }

    public <T extends ModelDelta> List<T> all(Class<T> type) {
        return deltas.stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** The reply text so far, as the user would see it. */
    public String text() {
        return String.join("", all(ModelDelta.Text.class).stream().map(ModelDelta.Text::text).toList());
    }

    public String reasoning() {
        return String.join("", all(ModelDelta.Reasoning.class).stream().map(ModelDelta.Reasoning::text).toList());
    }
}
