package dev.tether.web.routes;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tether.config.TetherConfig;
import dev.tether.model.ModelCatalog;
import dev.tether.session.SessionLifecycle;
import dev.tether.session.SessionReads;
import dev.tether.turn.LiveTurns;
import dev.tether.turn.TurnEnds;
import dev.tether.turn.TurnReader;
import dev.tether.turn.TurnRunner;
import dev.tether.web.sse.SessionFeed;
import java.time.Instant;

/**
 * What the routes talk to. Reads go to the store (scoped by owner); every state change goes
 * through the lifecycle, the runner or the door that ends turns.
 */
public record Api(
        TetherConfig config,
        ObjectMapper json,
        SessionReads store,
        dev.tether.session.AttachmentStore attachments,
        SessionLifecycle lifecycle,
        TurnRunner runner,
        TurnEnds ends,
        TurnReader reader,
        LiveTurns live,
        SessionFeed feed,
        ModelCatalog models,
        dev.tether.web.RequestLimits limits,
        Instant startedAt) {}
