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
 * The search page in headless Chromium: type a query, submit, and see both result columns; the search lives in
 * the URL (back, forward and a shared URL show it again); the page names its index and models. Needs Debian's
 * {@code chromium} and {@code chromium-driver} packages ({@code .ci/run} installs them); skipped without.
 */
class SearchPageBrowserTest {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  @TempDir Path tmp;

  @Test
  void searchShowsDenseAndRerankedResultsSideBySideAndLivesInTheUrl() throws IOException {
    Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
        "skipped: no headless browser; install it with `apt-get install chromium chromium-driver`");
    try (VectorIndex index = VectorIndex.open(TestIndex.build(tmp.resolve("idx")), 100)) {
      SearchService search = new SearchService(index, TestIndex.NAMES, TestIndex.ENCODER, new EncoderRanker(new HashingEncoder(1024)), 10);
      List<SearchService.Response> expected = List.of(search.search("a tiger that swims", 5, 10),
          search.search("dog sings", 3, 10), search.search("fish hides", 4, 6));
      try (SearchServer server = SearchServer.start(search, SearchServer.Config.loopback(2), System.err)) {
        browse(server, expected);
      }
    }
  }

  private void browse(SearchServer server, List<SearchService.Response> expected) throws IOException {
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
      String root = "http://127.0.0.1:" + server.port() + "/";
      browser.get(root);
      wait.until(b -> b.findElement(By.id("status")).getText().contains("64 documents"));
      assertEquals("64 documents in index idx, encoder hashing:256, re-ranker hashing:1024",
          browser.findElement(By.id("status")).getText(), "names, no paths");
      assertEquals("10", browser.findElement(By.id("depth")).getAttribute("value"), "depth from /health");

      // Two searches from the form: each one's URL holds the query and its settings.
      submit(browser, expected.get(0));
      showsResults(browser, wait, expected.get(0));
      assertEquals(root + "?q=a+tiger+that+swims&k=5&rerank=10", browser.getCurrentUrl());
      assertEquals("a tiger that swims — dualrank search", browser.getTitle());
      submit(browser, expected.get(1));
      showsResults(browser, wait, expected.get(1));
      assertEquals(root + "?q=dog+sings&k=3&rerank=10", browser.getCurrentUrl());

      // Back and forward return to each search, form and results.
      browser.navigate().back();
      wait.until(b -> b.getCurrentUrl().contains("tiger"));
      showsResults(browser, wait, expected.get(0));
      browser.navigate().forward();
      wait.until(b -> b.getCurrentUrl().contains("dog"));
      showsResults(browser, wait, expected.get(1));
      browser.navigate().back();
      browser.navigate().back();
      wait.until(b -> b.getCurrentUrl().equals(root));
      wait.until(b -> b.findElements(By.cssSelector("#de-results li")).isEmpty());
      assertEquals("", browser.findElement(By.id("q")).getAttribute("value"));

      // A shared URL runs its search when opened.
      browser.get(root + "?q=fish%20hides&k=4&rerank=6");
      showsResults(browser, wait, expected.get(2));
    } finally {
      browser.quit();
    }
  }

  /** Types the response's query and k into the form and submits it (the depth stays the server's default). */
  private static void submit(WebDriver browser, SearchService.Response response) {
    WebElement k = browser.findElement(By.id("k"));
    k.clear();
    k.sendKeys(Integer.toString(response.k()));
    WebElement q = browser.findElement(By.id("q"));
    q.clear();
    q.sendKeys(response.query());
    browser.findElement(By.id("go")).click();
  }

  /** The form holds the response's query and settings, and both columns show its results. */
  private static void showsResults(WebDriver browser, WebDriverWait wait, SearchService.Response response) {
    String status = response.results().size() + " results in [0-9.]+ ms, top " + response.rerankDepth() + " re-ranked";
    wait.until(b -> b.findElement(By.id("status")).getText().matches(status)
        && b.findElement(By.id("q")).getAttribute("value").equals(response.query()));
    assertEquals(Integer.toString(response.k()), browser.findElement(By.id("k")).getAttribute("value"));
    assertEquals(Integer.toString(response.rerankDepth()), browser.findElement(By.id("depth")).getAttribute("value"));
    assertColumn(response.results(), browser.findElements(By.cssSelector("#de-results li")));
    assertColumn(response.reranked(), browser.findElements(By.cssSelector("#ca-results li")));
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
