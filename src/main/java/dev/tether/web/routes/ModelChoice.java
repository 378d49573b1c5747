package dev.tether.web.routes;

import dev.tether.model.ModelCatalog;
import dev.tether.web.ApiError;

/** Which model a request names, checked against the catalog (the only one that knows the models). */
record ModelChoice(ModelCatalog models) {

    /** The model asked for (must exist: 400 otherwise); null means the session's own, or the default for a new one. */
    String requested(String requested, String sessionId) {
        if (requested != null) {
            if (models.find(requested).isEmpty()) {
                throw new ApiError(400, "unknown_model", "There is no model '" + requested + "'; see /api/models.");
            }
            return requested;
        }
        return sessionId == null ? models.defaultModel() : null;
    }

    /** {@code named} if this server has it, else the default: a file from elsewhere may name any model. */
    String knownOrDefault(String named) {
        return named != null && models.find(named).isPresent() ? named : models.defaultModel();
    }
}
