package dev.tether.model.openai;

import dev.tether.model.ChatModel.DeltaSink;
import dev.tether.model.ModelException;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads one completion stream to its end: events in, deltas out, until {@code [DONE]}.
 *
 * <p>A stream that ends without {@code [DONE]} is complete only if a choice reported its
 * {@code finish_reason} (some servers skip {@code [DONE]}); otherwise the provider hung up early and
 * the caller must learn it, keeping the partial reply already delivered.
 *
 * <p>Threading: the streaming thread only.
 */
final class EventLoop {

    private final Call call;
    private final SseReader reader;
    private final ChunkDecoder decoder;
    private final DeltaSink sink;
    private final ProviderFaults faults;

    EventLoop(Call call, InputStream body, DeltaSink sink, ProviderFaults faults) {
        this.call = call;
        this.reader = new SseReader(body, call::sawBytes, OpenAiCompatibleModel.MAX_EVENT_BYTES);
        this.decoder = new ChunkDecoder(faults);
        this.sink = sink;
        this.faults = faults;
    }

    void run() throws IOException, ModelException {
        SseReader.Event event;
        while ((event = nextEvent()) != null) {
            if (event.data().equals("[DONE]")) {
                decoder.finish(sink);
                return;
            }
            if (event.name().equals("error")) {
                throw faults.inStreamError(event.data());
            }
            if (decoder.decode(event.data(), sink)) {
                call.sawContent();
            }
        }
        // A closed body reads as the end of the stream; only the abort says it was not.
        if (call.isAborted()) {
            throw call.abortException(faults);
        }
        if (!decoder.isFinished()) {
            throw faults.endedEarly();
        }
        decoder.finish(sink);
    }

    private SseReader.Event nextEvent() throws IOException, ModelException {
        try {
            return reader.next();
        } catch (SseReader.TooLarge e) {
            throw faults.badResponse(e.getMessage(), e);
        }
    }
}
