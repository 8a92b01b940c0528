package io.dualrank.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dualrank.index.VectorIndex;
import io.dualrank.model.EncoderRanker;
import io.dualrank.model.HashingEncoder;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The search page in headless Chromium: type a query, submit, and see both result columns. Needs Debian's
 * {@code chromium} and {@code chromium-driver} packages ({@code .ci/run} installs them); skipped without.
 */
class SearchPageBrowserTest {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  @TempDir Path tmp;

  @Test
  void searchShowsDenseAndRerankedResultsSideBySide() throws IOException {
    Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
        "skipped: no headless browser; install it with `apt-get install chromium chromium-driver`");
    try (VectorIndex index = VectorIndex.open(TestIndex.build(tmp.resolve("idx")), 100)) {
      SearchService search = new SearchService(index, TestIndex.NAMES, TestIndex.ENCODER, new EncoderRanker(new HashingEncoder(1024)), 10);
      SearchService.Response expected = search.search("a tiger that swims", 5, 10);
      try (SearchServer server = SearchServer.start(search, SearchServer.Config.loopback(2), System.err)) {
        browse(server, expected);
      }
    }
  }

  private void browse(SearchServer server, SearchService.Response expected) throws IOException {
    ChromeDriverService driver = new ChromeDriverService.Builder()
        .usingDriverExecutable(CHROMEDRIVER.toFile())
        .usingAnyFreePort()
        .withLogOutput(OutputStream.nullOutputStream()) // Chromium's complaints about D-Bus and GPUs
        .build();
    ChromeOptions options = new ChromeOptions()
        .setBinary(CHROMIUM.toFile())
        .addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--user-data-dir=" + Files.createDirectories(tmp.resolve("chromium-profile")));
    WebDriver browser = new ChromeDriver(driver, options);
    try {
      WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
      browser.get("http://127.0.0.1:" + server.port() + "/");
      wait.until(b -> b.findElement(By.id("status")).getText().contains("64 documents"));
      assertEquals("10", browser.findElement(By.id("depth")).getAttribute("value"), "depth from /health");

      WebElement k = browser.findElement(By.id("k"));
      k.clear();
      k.sendKeys("5");
      browser.findElement(By.id("q")).sendKeys(expected.query());
      browser.findElement(By.id("go")).click();
      wait.until(b -> b.findElements(By.cssSelector("#ca-results li")).size() == 5);

      assertColumn(expected.results(), browser.findElements(By.cssSelector("#de-results li")));
      assertColumn(expected.reranked(), browser.findElements(By.cssSelector("#ca-results li")));
      assertTrue(browser.findElement(By.id("status")).getText().matches("5 results in [0-9.]+ ms, top 10 re-ranked"),
          browser.findElement(By.id("status")).getText());
    } finally {
      browser.quit();
    }
  }

  /** Each rendered hit shows the score (4 decimals), docid, DE rank when re-ranked, title and snippet. */
  private static void assertColumn(List<SearchService.Hit> expected, List<WebElement> rendered) {
    assertEquals(expected.size(), rendered.size());
    for (int i = 0; i < expected.size(); i++) {
      SearchService.Hit hit = expected.get(i);
      String text = String.format(Locale.ROOT, "%.4f %s", hit.score(), hit.docid())
          + (hit.deRank() == null ? "" : " (DE #" + hit.deRank() + ")") + " " + hit.title() + "\n" + hit.snippet();
      assertEquals(text.strip(), rendered.get(i).getText()); // the browser drops trailing spaces
    }
  }
}
