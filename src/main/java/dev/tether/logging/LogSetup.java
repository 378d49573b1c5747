package dev.tether.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Tether's logging, set up in code when SLF4J first starts Logback (a service, so no XML is parsed
 * and Logback prints no status lines of its own before the banner): one console appender on
 * stderr, text or JSON lines ({@code TETHER_LOG_FORMAT=json}), at {@code TETHER_LOG_LEVEL} (default
 * info). Libraries that are chatty at info (Jetty, Javalin, HikariCP, Flyway) log warnings only,
 * whatever the level. A wrong value falls back to the default here; the config check then
 * refuses the start with a clear message ({@code ConfigLoader}).
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class LogSetup extends ContextAwareBase implements Configurator {
    public static final List<String> LEVELS = List.of("error", "warn", "info", "debug", "trace");
    public static final List<String> FORMATS = List.of("text", "json");
    static final String TEXT_PATTERN = "%d{HH:mm:ss.SSS} [%thread] %-5level %logger{0} - %msg%replace( %kvp{NONE}){' $', ''}%n";
    private static final List<String> QUIET = List.of("org.eclipse.jetty", "io.javalin", "com.zaxxer.hikari",
            "org.flywaydb");

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        Map<String, String> env = System.getenv();
        Level level = level(env.get("TETHER_LOG_LEVEL"));
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName("console");
        console.setTarget("System.err");
        console.setEncoder(encoder(context, env.get("TETHER_LOG_FORMAT")));
        console.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.detachAndStopAllAppenders();
        root.setLevel(level);
        root.addAppender(console);
        Level quiet = level.isGreaterOrEqual(Level.WARN) ? level : Level.WARN;
        QUIET.forEach(name -> context.getLogger(name).setLevel(quiet));
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    static Level level(String setting) {
        String v = setting == null ? "" : setting.trim().toLowerCase(Locale.ROOT);
        return LEVELS.contains(v) ? Level.toLevel(v) : Level.INFO;
    }

    private static Encoder<ILoggingEvent> encoder(LoggerContext context, String format) {
        if (format != null && format.trim().equalsIgnoreCase("json")) {
            JsonLines json = new JsonLines();
            json.setContext(context);
            json.start();
            return json;
        }
        PatternLayoutEncoder text = new PatternLayoutEncoder();
        text.setContext(context);
        text.setPattern(TEXT_PATTERN);
        text.start();
        return text;
    }
}
