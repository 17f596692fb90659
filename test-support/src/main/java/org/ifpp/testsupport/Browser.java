package org.ifpp.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import org.openqa.selenium.Alert;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A headless Chromium for the consoles' browser tests: Debian's {@code chromium} and {@code
 * chromium-driver} (installed by scripts/ensure-deps.sh), a fresh profile directory per browser, no
 * network of its own (no sync, updates or background requests), the browser's console log kept so a
 * test can require that no page logged an error. Screenshots go to {@code
 * target/console-screenshots/}.
 */
public final class Browser implements AutoCloseable {

  public static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  public static final Path CHROMIUM = Path.of("/usr/bin/chromium");

  private final ChromeDriver driver;
  private final Path profile;
  private final String baseUrl;

  private Browser(String baseUrl) throws IOException {
    this.baseUrl = baseUrl;
    this.profile = Files.createTempDirectory("chromium-profile");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--window-size=1280,1000",
        "--user-data-dir=" + profile);
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service =
        new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build();
    this.driver = new ChromeDriver(service, options);
    driver.manage().window().setSize(new Dimension(1280, 1000));
  }

  /** A new browser for pages under {@code baseUrl} (e.g. {@code http://localhost:8081}). */
  public static Browser open(String baseUrl) {
    if (!Files.isExecutable(CHROMEDRIVER) || !Files.isExecutable(CHROMIUM)) {
      throw new IllegalStateException(
          "chromium and chromium-driver are needed (apt-get install chromium chromium-driver;"
              + " scripts/ensure-deps.sh installs them)");
    }
    try {
      return new Browser(baseUrl);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public ChromeDriver driver() {
    return driver;
  }

  public void go(String path) {
    driver.get(baseUrl + path);
  }

  public String path() {
    return driver.getCurrentUrl().substring(baseUrl.length());
  }

  public WebElement find(String css) {
    return driver.findElement(By.cssSelector(css));
  }

  public List<WebElement> all(String css) {
    return driver.findElements(By.cssSelector(css));
  }

  /**
   * Clicks a form's button and waits until the browser has left the page, so that {@link #path()}
   * and the page read next are the answer's (a click only starts the submission).
   */
  public void submit(String css) {
    markDocument();
    find(css).click();
    awaitNewDocument();
  }

  /**
   * Clicks a form's button whose submission asks for confirmation, accepts it, and waits until the
   * browser has left the page; answers the confirmation's text.
   */
  public String submitConfirmed(String css) {
    markDocument();
    find(css).click();
    String text = confirm();
    awaitNewDocument();
    return text;
  }

  /**
   * Marks the current document, so that {@link #awaitNewDocument()} can tell the answer's page from
   * it. (Waiting for the clicked button to go stale is not enough: while the old document is being
   * torn down, chromedriver may answer "Node with given id does not belong to the document" instead
   * of a stale-element error.)
   */
  private void markDocument() {
    driver.executeScript("window.__ifppLeaving = true;");
  }

  /** Waits until a new, completely loaded document (one without the mark) is in the window. */
  private void awaitNewDocument() {
    new WebDriverWait(driver, Duration.ofSeconds(60))
        .ignoring(WebDriverException.class)
        .until(
            d ->
                Boolean.TRUE.equals(
                    driver.executeScript(
                        "return window.__ifppLeaving === undefined"
                            + " && document.readyState === 'complete';")));
  }

  /** Waits until the element's text is {@code text} (a live update, without reloading). */
  public void waitForText(String css, String text, Duration timeout) {
    new WebDriverWait(driver, timeout)
        .until(ExpectedConditions.textToBe(By.cssSelector(css), text));
  }

  /**
   * Waits until {@code condition} holds, checking it every 100 ms; the condition may drive what the
   * page waits for (a simulated line reporting) before it reads the page.
   */
  public void until(Duration timeout, String what, BooleanSupplier condition) {
    new WebDriverWait(driver, timeout)
        .pollingEvery(Duration.ofMillis(100))
        .withMessage(what)
        .until(d -> condition.getAsBoolean());
  }

  /** Accepts the page's confirmation dialog. */
  public String confirm() {
    Alert alert =
        new WebDriverWait(driver, Duration.ofSeconds(5)).until(ExpectedConditions.alertIsPresent());
    String text = alert.getText();
    alert.accept();
    return text;
  }

  /** The HTTP status of a same-origin request made by the page's own JavaScript. */
  public long fetchStatus(String method, String path) {
    Object status =
        driver.executeAsyncScript(
            "const done = arguments[arguments.length - 1];"
                + "fetch(arguments[1], {method: arguments[0], credentials: 'same-origin',"
                + " redirect: 'manual'}).then(r => done(r.status), e => done(-1));",
            method,
            path);
    return ((Number) status).longValue();
  }

  /**
   * Sends the form {@code css} of the page with the page's own JavaScript (its fields, CSRF token
   * included, form-encoded) and answers the status and body, e.g. for a form whose answer is a file
   * to download.
   */
  public Answer fetchForm(String css) {
    List<?> answer =
        (List<?>)
            driver.executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                    + "const f = document.querySelector(arguments[0]);"
                    + "fetch(f.action, {method: 'POST', credentials: 'same-origin',"
                    + " body: new URLSearchParams(new FormData(f))})"
                    + ".then(r => r.text().then(t => done([r.status, t])), e => done([-1, '']));",
                css);
    return new Answer(((Number) answer.get(0)).intValue(), (String) answer.get(1));
  }

  /**
   * The status of a same-origin POST to {@code path} carrying the page's CSRF token (its forms'
   * {@code _csrf} field), as a form of the page would send it: what the role may or may not do.
   */
  public long postWithPageToken(String path) {
    Object status =
        driver.executeAsyncScript(
            "const done = arguments[arguments.length - 1];"
                + "const token = document.querySelector('input[name=_csrf]').value;"
                + "fetch(arguments[0], {method: 'POST', credentials: 'same-origin',"
                + " redirect: 'manual', body: new URLSearchParams({_csrf: token})})"
                + ".then(r => done(r.status), e => done(-1));",
            path);
    return ((Number) status).longValue();
  }

  /** An HTTP answer read by the page's JavaScript. */
  public record Answer(int status, String body) {}

  /** Saves a screenshot as {@code target/console-screenshots/<name>.png}. */
  public Path screenshot(String name) {
    try {
      Path dir = Path.of("target", "console-screenshots");
      Files.createDirectories(dir);
      Path file = dir.resolve(name + ".png");
      Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The entries the browser's console logged since the last call, at SEVERE (errors). */
  public List<String> consoleErrors() {
    return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
        .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
        .map(LogEntry::getMessage)
        .toList();
  }

  /** The cookies the browser holds, by name, with their attributes. */
  public Map<String, org.openqa.selenium.Cookie> cookies() {
    return driver.manage().getCookies().stream()
        .collect(java.util.stream.Collectors.toMap(c -> c.getName(), c -> c));
  }

  @Override
  public void close() {
    try {
      driver.quit();
    } finally {
      try (var files = Files.walk(profile)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        // a leftover temporary profile directory is harmless
      }
    }
  }
}
