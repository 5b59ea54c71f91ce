package io.siamesestreams.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.siamesestreams.frames.Frame;
import io.siamesestreams.testing.EmbeddedKafkaExtension;
import io.siamesestreams.testing.KafkaTestSupport;
import io.siamesestreams.topology.Topics;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The console in a real headless Chromium (Debian's {@code chromium} driven through its {@code
 * chromedriver}; nothing is downloaded) against the real service on a real broker: sign in, enrol
 * through the form, see the identity in the gallery with its thumbnail, see a stream decision in the live feed, erase it
 * with confirmation. Screenshots go to {@code target/console-screenshots/}.
 */
class ConsoleBrowserIT {

  @RegisterExtension
  static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  static final Path SCREENSHOTS = Path.of("target", "console-screenshots");
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir
  static Path workDir;
  static ServiceWithApi app;
  static WebDriver browser;

  @BeforeAll
  static void start() {
    if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
      fail("the console test needs Debian's chromium and its driver at " + CHROMIUM + " and " + CHROMEDRIVER
          + ": apt-get install chromium chromium-driver (.ci/run installs them)");
    }
    app = ServiceWithApi.start(KAFKA.bootstrapServers(), FashionMnistSamples.BUNDLE, "console-", workDir);
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
        "--window-size=1280,1100");
    ChromeDriverService driver = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
        .usingAnyFreePort().build();
    browser = new ChromeDriver(driver, options);
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (app != null) {
      app.close();
    }
  }

  private static <T> T await(String what, Supplier<T> condition) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      T value = condition.get();
      if (value != null && !Boolean.FALSE.equals(value)) {
        return value;
      }
      Thread.sleep(200);
    }
    screenshot("failed");
    throw new AssertionError("console: " + what + " within " + WAIT + "; page text: "
        + browser.findElement(By.tagName("body")).getText());
  }

  private static void screenshot(String name) {
    try {
      Files.createDirectories(SCREENSHOTS);
      File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
      Files.copy(shot.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void produceFrame(String frameId, int label, int n, String claim) {
    Frame frame = new Frame(frameId, "lobby", System.currentTimeMillis(),
        Base64.getEncoder().encodeToString(FashionMnistSamples.png(label, n)), claim, null);
    KafkaTestSupport.produce(KAFKA.bootstrapServers(), List.of(new ProducerRecord<>(app.topics.frames().name(),
        "lobby", Topics.FRAME_SERDE.toBytes(frame))));
  }

  private static WebElement galleryItem(String identityId) {
    List<WebElement> items = browser.findElements(By.cssSelector("#gallery li[data-identity-id='" + identityId + "']"));
    return items.isEmpty() ? null : items.get(0);
  }

  private static void signIn(String key, String whoami) throws InterruptedException {
    browser.findElement(By.id("api-key")).sendKeys(key);
    browser.findElement(By.cssSelector("#signin button[type=submit]")).click();
    await("sign-in as " + whoami, () -> browser.findElement(By.id("whoami")).getText().contains(whoami));
  }

  @Test
  void shouldEnrolThroughTheFormShowTheIdentityAndALiveDecisionAndEraseIt() throws Exception {
    browser.get(app.base() + "/");
    assertThat(browser.getTitle()).isEqualTo("Siamese Streams console");
    assertThat(browser.findElement(By.id("enrol-card")).isDisplayed()).as("no enrol form before sign-in").isFalse();

    signIn(ServiceWithApi.ENROLLER_KEY, "registrar (enroller)");

    Path first = workDir.resolve("trouser-0.png");
    Path second = workDir.resolve("trouser-1.png");
    Files.write(first, FashionMnistSamples.png(FashionMnistSamples.TROUSER, 0));
    Files.write(second, FashionMnistSamples.png(FashionMnistSamples.TROUSER, 1));
    browser.findElement(By.id("enrol-id")).sendKeys("trousers");
    browser.findElement(By.id("enrol-name")).sendKeys("Grey trousers");
    browser.findElement(By.id("enrol-images")).sendKeys(first.toAbsolutePath() + "\n" + second.toAbsolutePath());
    browser.findElement(By.cssSelector("#enrol button[type=submit]")).click();
    await("the enrolment's offset", () -> browser.findElement(By.id("enrol-status")).getText().contains("offset"));
    WebElement item = await("trousers in the gallery", () -> galleryItem("trousers"));
    assertThat(item.getText()).contains("Grey trousers").contains("2 templates");
    // The enroller sees the first enrolment image's thumbnail, fetched with its key and decoded by the browser.
    Long thumbnailWidth = await("the thumbnail decoded", () -> {
      Object width = ((JavascriptExecutor) browser).executeScript("const image = document.querySelector("
          + "\"#gallery li[data-identity-id='trousers'] img.thumbnail\"); return image && image.complete"
          + " ? image.naturalWidth : 0;");
      return width instanceof Long pixels && pixels > 0 ? pixels : null;
    });
    assertThat(thumbnailWidth).isEqualTo(28L);
    assertThat(galleryItem("trousers").findElement(By.cssSelector("img.thumbnail")).getAttribute("alt"))
        .isEqualTo("First enrolment image of Grey trousers");

    // A genuine claim, an impostor and a claim of nobody enrolled, one after the other (newest row first).
    produceFrame("console-frame-1", FashionMnistSamples.TROUSER, 5, "trousers");
    WebElement row = await("a decision in the live feed", () -> browser.findElements(By.cssSelector("#feed tbody tr"))
        .stream().findFirst().orElse(null));
    assertThat(row.getAttribute("data-decision")).isEqualTo("MATCH");
    assertThat(row.getText()).contains("MATCH").contains("trousers").contains("lobby");
    produceFrame("console-frame-2", FashionMnistSamples.BAG, 0, "trousers");
    produceFrame("console-frame-3", FashionMnistSamples.SNEAKER, 0, "nobody");
    await("three decisions in the live feed", () -> browser.findElements(By.cssSelector("#feed tbody tr")).size() == 3);
    assertThat(browser.findElements(By.cssSelector("#feed tbody tr"))).extracting(r -> r.getAttribute("data-decision"))
        .containsExactlyInAnyOrder("MATCH", "NO_MATCH", "UNKNOWN_IDENTITY");
    await("frames/s from /metrics", () -> !browser.findElement(By.id("frames-rate")).getText().equals("–"));
    screenshot("console");

    browser.manage().window().setSize(new Dimension(390, 844));
    screenshot("console-phone");
    browser.manage().window().setSize(new Dimension(1280, 1100));

    signIn(ServiceWithApi.VIEWER_KEY, "wall-screen (viewer)");
    await("the gallery redrawn for the viewer", () -> galleryItem("trousers") != null
        && galleryItem("trousers").findElements(By.tagName("button")).isEmpty());
    assertThat(galleryItem("trousers").findElements(By.tagName("img"))).as("a viewer sees no thumbnails").isEmpty();
    signIn(ServiceWithApi.ENROLLER_KEY, "registrar (enroller)");
    await("the erase button back", () -> galleryItem("trousers") != null
        && !galleryItem("trousers").findElements(By.tagName("button")).isEmpty());

    galleryItem("trousers").findElement(By.tagName("button")).click();
    WebElement dialog = browser.findElement(By.id("confirm-erase"));
    await("the confirmation dialog", dialog::isDisplayed);
    assertThat(dialog.getText()).contains("trousers");
    dialog.findElement(By.cssSelector("button[value=erase]")).click();
    await("trousers gone from the gallery", () -> galleryItem("trousers") == null);
    assertThat(app.get("/api/v1/identities/trousers", ServiceWithApi.VIEWER_KEY).statusCode()).isEqualTo(404);
  }
}
