package dev.tether.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * One headless Debian Chromium driven through the system chromedriver; nothing is ever
 * downloaded (no Selenium Manager). Each instance has its own fresh profile directory, and
 * collects the page's console output so a test can fail on errors.
 *
 * <p>Not thread-safe: one test thread drives one browser. A test class usually keeps one browser
 * and opens a second window only where it needs two tabs ({@link #openWindow}).
 */
public final class Browser implements AutoCloseable {
    static final String CHROMIUM = "/usr/bin/chromium";
    static final String CHROMEDRIVER = "/usr/bin/chromedriver";
    public static final Path SCREENSHOTS = Path.of("target", "screenshots");
    static final Duration WAIT = Duration.ofSeconds(10);

    private final ChromeDriver driver;
    private final Path profile;
    private final List<String> console = new ArrayList<>();

    private Browser(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    /** A desktop-sized headless browser. */
    public static Browser start() {
        return start(1280, 860);
    }

    public static Browser start(int width, int height) {
        System.setProperty("SE_OFFLINE", "true");
        Path profile = tempProfile();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--hide-scrollbars", "--window-size=" + width + "," + height,
                "--user-data-dir=" + profile);
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(Path.of(CHROMEDRIVER).toFile())
                .usingAnyFreePort()
                .build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(WAIT);
        return new Browser(driver, profile);
    }

    private static Path tempProfile() {
        try {
            return Files.createTempDirectory("tether-chromium");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public ChromeDriver driver() {
        return driver;
    }

    public void open(String url) {
        driver.get(url);
        waitForApp();
    }

    /** Waits until the app has booted: the shell rendered its composer. */
    public void waitForApp() {
        await(d -> !d.findElements(By.cssSelector("t-app t-composer textarea")).isEmpty());
    }

    public <T> T await(Function<WebDriver, T> condition) {
        return await(WAIT, condition);
    }

    public <T> T await(Duration timeout, Function<WebDriver, T> condition) {
        return new WebDriverWait(driver, timeout, Duration.ofMillis(25)).until(condition);
    }

    public WebElement find(String css) {
        return await(d -> {
            List<WebElement> found = d.findElements(By.cssSelector(css));
            return found.isEmpty() ? null : found.getFirst();
        });
    }

    /** The rendered text of the first match, once one exists (read in the page, so re-renders cannot stale it). */
    public String text(String css) {
        return await(d -> js("const e = document.querySelector(arguments[0]); return e ? e.innerText : null", css));
    }

    /** Clicks the first match once it exists, trying again if a re-render replaced it meanwhile. */
    public void click(String css) {
        await(d -> {
            try {
                List<WebElement> found = d.findElements(By.cssSelector(css));
                if (found.isEmpty()) {
                    return false;
                }
                found.getFirst().click();
                return true;
            } catch (org.openqa.selenium.StaleElementReferenceException e) {
                return false;
            }
        });
    }

    public List<WebElement> findAll(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    @SuppressWarnings("unchecked")
    public <T> T js(String script, Object... args) {
        return (T) ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /** Opens a new window (a second tab of the same browser) and switches to it; returns its handle. */
    public String openWindow(String url) {
        driver.switchTo().newWindow(org.openqa.selenium.WindowType.WINDOW);
        open(url);
        return driver.getWindowHandle();
    }

    public void switchTo(String windowHandle) {
        driver.switchTo().window(windowHandle);
    }

    public void resize(int width, int height) {
        driver.manage().window().setSize(new Dimension(width, height));
    }

    /** Makes the page see {@code prefers-color-scheme: dark} (or light) through the DevTools protocol. */
    public void colorScheme(String scheme) {
        driver.executeCdpCommand("Emulation.setEmulatedMedia",
                Map.of("features", List.of(Map.of("name", "prefers-color-scheme", "value", scheme))));
    }

    /** Saves a PNG of the viewport as target/screenshots/{name}.png. */
    public Path screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Path to = SCREENSHOTS.resolve(name + ".png");
            Files.write(to, driver.getScreenshotAs(OutputType.BYTES));
            return to;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Console entries collected so far that count as errors: SEVERE ones (script errors, failed
     * loads, console.error) and WARNING ones (the app's console.warn, e.g. missing Markdown libraries).
     */
    public List<String> consoleErrors() {
        collectConsole();
        return console.stream().filter(line -> line.startsWith("SEVERE") || line.startsWith("WARNING")).toList();
    }

    public List<String> console() {
        collectConsole();
        return List.copyOf(console);
    }

    /** Fails if the page logged any error since the last call. */
    public void assertNoConsoleErrors() {
        List<String> errors = consoleErrors();
        console.clear();
        if (!errors.isEmpty()) {
            throw new AssertionError("browser console errors:\n" + String.join("\n", errors));
        }
    }

    /** Forgets collected console output (for a step that provokes an error on purpose). */
    public void clearConsole() {
        collectConsole();
        console.clear();
    }

    private void collectConsole() {
        for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) {
            console.add(e.getLevel() + " " + e.getMessage());
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            deleteProfile();
        }
    }

    private void deleteProfile() {
        try (Stream<Path> files = Files.walk(profile)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a leftover temp profile is harmless
        }
    }
}
