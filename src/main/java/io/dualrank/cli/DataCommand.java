package io.dualrank.cli;

import io.dualrank.data.Dataset;
import io.dualrank.data.fetch.DataSource;
import io.dualrank.data.fetch.Fetcher;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code dualrank data fetch|list}: downloads the data sets the project knows into a data root. */
@Command(name = "data", mixinStandardHelpOptions = true,
    description = "The data sets that can be downloaded: list them, or fetch one into the data root.",
    subcommands = {DataCommand.Fetch.class, DataCommand.ListSources.class})
final class DataCommand {

  @Command(name = "fetch", mixinStandardHelpOptions = true,
      description = {"Downloads a data set (resuming a cut download), checks its pinned SHA-256 (and published",
        "MD5), converts it into the layout of its dataset definition and moves the files into the data root.",
        "Files already there are kept. Without a pinned SHA-256 it says the download is unverified.",
        "A connection that sends nothing for --stall-timeout seconds is dropped and the download resumed",
        "(5 attempts per file in all)."})
  static final class Fetch implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "NAME",
        description = "What to fetch: scifact, squad, nq or trec-dl (see `dualrank data list`).")
    String name;

    @Option(names = "--data", paramLabel = "DIR",
        description = "Data root to fetch into. Default: $DUALRANK_DATA, else ../shared/data.")
    String dataRoot;

    @Option(names = "--stall-timeout", paramLabel = "SECONDS", defaultValue = "60",
        description = "Seconds a download may receive nothing before its connection is dropped and it resumes"
            + " with a Range request (default ${DEFAULT-VALUE}).")
    int stallSeconds;

    @Override
    public Integer call() throws IOException {
      if (stallSeconds < 1) {
        throw new IllegalArgumentException("--stall-timeout: at least 1 second, got " + stallSeconds);
      }
      DataSource source = DataSource.named(name).orElseThrow(() -> new IllegalArgumentException("no data set '" + name
          + "' to fetch; known: " + DataSource.known().stream().map(DataSource::name).collect(Collectors.joining(", "))));
      var result = Fetcher.standard(Duration.ofSeconds(stallSeconds)).fetch(source, Dataset.dataRoot(dataRoot));
      var out = spec.commandLine().getOut();
      out.printf("fetch %s: %d written, %d already present%s%n", source.name(), result.written().size(),
          result.kept().size(), result.unverified().isEmpty() ? ""
              : "; UNVERIFIED (no pinned SHA-256): " + String.join(", ", result.unverified()));
      if (!source.bring().isEmpty()) {
        out.printf("fetch %s: not downloadable here, bring yourself: %s%n", source.name(), source.bring());
      }
      out.flush();
      return 0;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true,
      description = "Lists the data sets `dualrank data fetch` knows, with their URLs and checksums.")
  static final class ListSources implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      var out = spec.commandLine().getOut();
      for (DataSource s : DataSource.known()) {
        out.printf("%s: %s%n  writes %s%n", s.name(), s.description(), String.join(", ", s.files()));
        for (DataSource.Download d : s.downloads()) {
          out.printf("  %s%n    sha256 %s; md5 %s (%s)%n", d.url(), d.sha256() == null ? "none pinned (unverified)"
              : d.sha256(), d.md5() == null ? "none" : d.md5(), d.provenance());
        }
        if (!s.bring().isEmpty()) {
          out.printf("  bring yourself: %s%n", s.bring());
        }
      }
      out.flush();
      return 0;
    }
  }
}
