package dev.tether.model;

import dev.tether.config.TetherConfig;
import dev.tether.model.demo.DemoModel;
import dev.tether.model.openai.OpenAiCompatibleModel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The models this server offers, fixed at start: the configured provider's models first, then
 * Tether's demo model, which is always there so the server is usable without any provider. The
 * default is the first provider model, or the demo when there is none. This is the only place that
 * maps a model id to the {@link ChatModel} that answers it.
 *
 * <p>Threading: immutable after construction; share it freely.
 */
public final class ModelCatalog implements AutoCloseable {

    /** How long start-up waits for {@code GET {base}/models} before going on without it. */
    static final Duration MODEL_LIST_TIMEOUT = Duration.ofSeconds(5);

    private static final Logger LOG = LoggerFactory.getLogger(ModelCatalog.class);

    /** One offered model: how it is listed, and what answers it. */
    public record Entry(ModelInfo info, ChatModel model) {}

    private final Map<String, Entry> byId = new LinkedHashMap<>();
    private final String defaultModel;

    /**
     * A catalog of exactly {@code entries}, in that order (tests use this to offer fakes).
     *
     * @throws IllegalArgumentException if ids repeat or {@code defaultModel} is not among them
     */
    public ModelCatalog(List<Entry> entries, String defaultModel) {
        for (Entry entry : entries) {
            if (byId.putIfAbsent(entry.info().id(), entry) != null) {
                throw new IllegalArgumentException("model id listed twice: " + entry.info().id());
            }
        }
        if (!byId.containsKey(defaultModel)) {
            throw new IllegalArgumentException("default model " + defaultModel + " is not in " + byId.keySet());
        }
        this.defaultModel = defaultModel;
    }

    /**
     * The catalog for {@code config}. A provider without a configured model list is asked for one,
     * once; if it cannot answer, the server still starts with the demo and says why in the log.
     */
    public static ModelCatalog from(TetherConfig config) {
        List<Entry> entries = new ArrayList<>();
        config.provider().ifPresent(provider -> entries.addAll(providerEntries(provider)));
        entries.add(new Entry(DemoModel.INFO, new DemoModel(config.demoTokenInterval())));
        return new ModelCatalog(entries, entries.getFirst().info().id());
    }

    public List<ModelInfo> models() {
        return byId.values().stream().map(Entry::info).toList();
    }

    public String defaultModel() {
        return defaultModel;
    }

    public Optional<ChatModel> find(String id) {
        return Optional.ofNullable(byId.get(id)).map(Entry::model);
    }

    /** Closes each model that holds resources (connection pools, threads), once. */
    @Override
    public void close() {
        Set<ChatModel> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Entry entry : byId.values()) {
            if (seen.add(entry.model()) && entry.model() instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    LOG.warn("Closing model {} failed", entry.info().id(), e);
                }
            }
        }
    }

    private static List<Entry> providerEntries(TetherConfig.Provider provider) {
        OpenAiCompatibleModel model = new OpenAiCompatibleModel(provider);
        Set<String> ids = new LinkedHashSet<>(
                provider.models().isEmpty() ? askForModels(model, provider) : provider.models());
        if (ids.remove(DemoModel.ID)) {
            LOG.warn("The provider's model id {} clashes with Tether's demo model and is not offered", DemoModel.ID);
        }
        if (ids.isEmpty()) {
            model.close();
            return List.of();
        }
        LOG.info("Offering {} model(s) from {}: {}", ids.size(), provider.baseUrl(), ids);
        return ids.stream().map(id -> new Entry(new ModelInfo(id, "openai", id, false), (ChatModel) model)).toList();
    }

    private static List<String> askForModels(OpenAiCompatibleModel model, TetherConfig.Provider provider) {
        try {
            List<String> ids = model.listModels(MODEL_LIST_TIMEOUT);
            if (ids.isEmpty()) {
                LOG.warn("The provider at {} lists no models; only the demo model is offered. "
                        + "Set TETHER_OPENAI_MODELS to the model ids to use.", provider.baseUrl());
            }
            return ids;
        } catch (ModelException e) {
            LOG.warn("Could not ask the provider at {} for its models ({}); only the demo model is "
                    + "offered. {}", provider.baseUrl(), e.getMessage(), e.hint());
            return List.of();
        }
    }
}
