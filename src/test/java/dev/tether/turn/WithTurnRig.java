package dev.tether.turn;

import dev.tether.model.ChatModel;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** A turn test's {@link TurnRig}: opened by the test with its model, in a fresh directory, closed after it. */
abstract class WithTurnRig {
    static final String ALICE = "alice";
    static final Duration WAIT = TurnRig.WAIT;

    @TempDir
    Path dir;
    private TurnRig rig;

    @AfterEach
    void closeRig() {
        if (rig != null) {
            rig.close();
        }
    }

    TurnRig rig(ChatModel model) {
        rig = TurnRig.open(dir, model);
        return rig;
    }
}
