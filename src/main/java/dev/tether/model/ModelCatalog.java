package dev.tether.model;

import java.util.List;
import java.util.Optional;

/** Placeholder until the model layer lands: the models this server can answer with. */
public final class ModelCatalog {
    private final List<ModelInfo> models;
    private final java.util.Map<String, ChatModel> byId;
    private final String defaultModel;

    public ModelCatalog(List<ModelInfo> models, java.util.Map<String, ChatModel> byId, String defaultModel) {
        this.models = List.copyOf(models);
        this.byId = java.util.Map.copyOf(byId);
        this.defaultModel = defaultModel;
    }

    public List<ModelInfo> models() {
        return models;
    }

    public String defaultModel() {
        return defaultModel;
    }

    public Optional<ChatModel> find(String id) {
        return Optional.ofNullable(byId.get(id));
    }
}
