package dev.tether.web.routes;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tether.config.TetherConfig;
import dev.tether.model.ModelCatalog;
import dev.tether.session.SessionLifecycle;
import dev.tether.session.SessionStore;
import dev.tether.turn.Cancellation;
import dev.tether.turn.LiveTurns;
import dev.tether.turn.SessionFeed;
import dev.tether.turn.TurnReader;
import dev.tether.turn.TurnRunner;
import java.time.Instant;

/**
 * What the routes talk to. Reads go to the store (scoped by owner); every state change goes
 * through the lifecycle, the runner or cancellation.
 */
public record Api(
        TetherConfig config,
        ObjectMapper json,
        SessionStore store,
        dev.tether.session.AttachmentStore attachments,
        SessionLifecycle lifecycle,
        TurnRunner runner,
        Cancellation cancellation,
        TurnReader reader,
        LiveTurns live,
        SessionFeed feed,
        ModelCatalog models,
        dev.tether.web.RequestLimits limits,
        Instant startedAt) {}
