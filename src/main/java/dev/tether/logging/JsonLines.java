package dev.tether.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.encoder.EncoderBase;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;
import org.slf4j.event.KeyValuePair;

/**
 * One JSON object per line: {@code time} (ISO instant), {@code level}, {@code logger},
 * {@code thread}, {@code message}, then the event's key-value pairs (e.g. {@code request_id},
 * {@code turn_id}) and the MDC's as fields of their own, and {@code error} with the stack trace if
 * there is one. Easy for Loki, Elasticsearch or {@code jq}.
 *
 * <p>Threading: Logback calls {@link #encode} from any thread; it keeps no state between calls.
 */
final class JsonLines extends EncoderBase<ILoggingEvent> {
    private static final JsonFactory JSON = new JsonFactory();
    private static final byte[] NOTHING = new byte[0];

    @Override
    public byte[] headerBytes() {
        return NOTHING;
    }

    @Override
    public byte[] footerBytes() {
        return NOTHING;
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("time", Instant.ofEpochMilli(event.getTimeStamp()).toString());
            g.writeStringField("level", event.getLevel().toString());
            g.writeStringField("logger", event.getLoggerName());
            g.writeStringField("thread", event.getThreadName());
            g.writeStringField("message", event.getFormattedMessage());
            java.util.Set<String> written = new java.util.HashSet<>();
            if (event.getKeyValuePairs() != null) {
                for (KeyValuePair kv : event.getKeyValuePairs()) {
                    if (written.add(kv.key)) {
                        field(g, kv.key, kv.value);
                    }
                }
            }
            for (Map.Entry<String, String> e : event.getMDCPropertyMap().entrySet()) {
                if (written.add(e.getKey())) { // the event's own pair wins over the MDC's (e.g. request_id)
                    g.writeStringField(e.getKey(), e.getValue());
                }
            }
            IThrowableProxy error = event.getThrowableProxy();
            if (error != null) {
                g.writeStringField("error", ThrowableProxyUtil.asString(error));
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.write('\n');
        return out.toByteArray();
    }

    private static void field(JsonGenerator g, String key, Object value) throws IOException {
        switch (value) {
            case null -> g.writeNullField(key);
            case Integer i -> g.writeNumberField(key, i);
            case Long l -> g.writeNumberField(key, l);
            case Boolean b -> g.writeBooleanField(key, b);
            default -> g.writeStringField(key, value.toString());
        }
    }
}
