package dev.tether.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The browser app's files under a versioned prefix, {@code /assets/<version>/}, where the version is
 * a digest of every file's name and bytes: a release that changes any file changes every URL, so the
 * files can be cached for a year ({@link #IMMUTABLE}), and a browser never runs an old module (or an
 * old shared worker, whose URL is relative to its module) against a new server. The pages are the
 * only entry points: they are revalidated on every load ({@link #REVALIDATE}) and their relative
 * {@code src}/{@code href} references are rewritten to the prefix when this is built. ES module
 * imports are relative, so they inherit it.
 *
 * <p>Immutable after construction; safe to share between request threads.
 */
public final class StaticAssets {
    public static final String IMMUTABLE = "public, max-age=31536000, immutable";
    public static final String REVALIDATE = "no-cache";
    /** The pages a browser opens by name (and "/" for index.html). */
    public static final List<String> PAGES = List.of("index.html", "login.html", "settings.html");
    /** A src or href whose value is relative: no scheme, not absolute, not a fragment. */
    private static final Pattern RELATIVE_REFERENCE =
            Pattern.compile("\\b(src|href)=\"(?![a-zA-Z][a-zA-Z0-9+.-]*:)(?![/#])([^\"]+)\"");

    private final String version;
    private final Map<String, String> pages;

    private StaticAssets(String version, Map<String, String> pages) {
        this.version = version;
        this.pages = pages;
    }

    /** The app in {@code directory} on the class path (a folder in development, a jar entry when packaged). */
    public static StaticAssets fromClasspath(String directory) {
        return fromClasspath(StaticAssets.class.getClassLoader(), directory);
    }

    static StaticAssets fromClasspath(ClassLoader loader, String directory) {
        URL index = loader.getResource(directory + "/index.html");
        if (index == null) {
            throw new IllegalStateException("the browser app is missing from the class path: " + directory);
        }
        try {
            URI uri = index.toURI();
            if (!"jar".equals(uri.getScheme())) {
                return of(Path.of(uri).getParent());
            }
            try (FileSystem jar = FileSystems.newFileSystem(uri, Map.of())) {
                return of(jar.getPath("/" + directory));
            } catch (FileSystemAlreadyExistsException e) { // opened by someone else: theirs to close
                return of(FileSystems.getFileSystem(uri).getPath("/" + directory));
            }
        } catch (URISyntaxException | IOException e) {
            throw new IllegalStateException("cannot read the browser app from " + index, e);
        }
    }

    /** The app whose files are under {@code root}. */
    public static StaticAssets of(Path root) {
        try {
            String version = versionOf(root);
            Map<String, String> pages = new LinkedHashMap<>();
            for (String name : PAGES) {
                Path page = root.resolve(name);
                if (Files.isRegularFile(page)) {
                    pages.put(name, rewrite(Files.readString(page, StandardCharsets.UTF_8), prefixOf(version)));
                }
            }
            return new StaticAssets(version, Map.copyOf(pages));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A digest of every file's path and bytes, in path order; the first 12 hex digits are plenty to tell releases apart. */
    static String versionOf(Path root) throws IOException {
        MessageDigest digest = sha256();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        for (Path file : files) {
            digest.update(root.relativize(file).toString().replace('\\', '/').getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
            digest.update(Files.readAllBytes(file));
            digest.update((byte) 0);
        }
        return HexFormat.of().formatHex(digest.digest()).substring(0, 12);
    }

    static String rewrite(String html, String prefix) {
        Matcher m = RELATIVE_REFERENCE.matcher(html);
        return m.replaceAll(r -> Matcher.quoteReplacement(r.group(1) + "=\"" + prefix + "/" + r.group(2) + "\""));
    }

    private static String prefixOf(String version) {
        return "/assets/" + version;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    public String version() {
        return version;
    }

    /** Where the versioned files are served, e.g. {@code /assets/0123456789ab}. */
    public String prefix() {
        return prefixOf(version);
    }

    /** The page's HTML with its references under {@link #prefix()}; null if there is no such page. */
    public String page(String name) {
        return pages.get(name);
    }
}
