package io.dualrank.data;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A named dataset: a corpus, a query set, and per split the qrels and (optionally) the candidate runs to
 * re-rank, each possibly several files (msmarco-dl's train split is DL20 + DL21). Defined by a YAML file
 * whose paths are relative to a data root:
 *
 * <pre>
 * corpus: msmarco-dl/collection.tsv          # *.tsv: MS MARCO TSV, *.jsonl: BEIR
 * queries: msmarco-dl/queries.tsv
 * relevanceLevel: 2                          # trec_eval -l: relevant means grade &gt;= 2 (default 1)
 * partialCorpus: true                        # judged documents may lie outside the corpus (default false)
 * splits:
 *   train: {qrels: [msmarco-dl/qrels.dl20.txt, msmarco-dl/qrels.dl21.txt],
 *           candidates: [msmarco-dl/runs/bm25.dl20.trec, msmarco-dl/runs/bm25.dl21.trec]}
 *   test: {qrels: [msmarco-dl/qrels.dl19.txt]}   # candidates may be absent, see withCandidates
 * </pre>
 *
 * A definition may name its own root ({@code root: ../sample}, relative to the definition file): then its
 * paths are relative to that folder and the data root is not used (the embedded sample ships this way).
 *
 * <p>A split may name a list of its query ids to hold out ({@code heldOut: msmarco-dl-heldout.qids}, one id a
 * line, the path relative to the definition file, not to the data root: it is a choice of the project, not
 * data). Then {@code train:heldout} is the split restricted to those queries and {@code train:fit} to the
 * others, so settings can be chosen on part of train without looking at test. Reading is lazy;
 * {@link #validate()} checks the whole dataset once.
 */
public final class Dataset {
  /** Environment variable naming the data root; see {@link #dataRoot(String)}. */
  public static final String DATA_ROOT_ENV = "DUALRANK_DATA";
  /** Where dataset definitions are looked up by name, relative to the working directory. */
  public static final Path DEFINITIONS = home().resolve("datasets");

  /** Suffix of the part of a split whose queries are held out ({@code train:heldout}). */
  public static final String HELD_OUT = ":heldout";
  /** Suffix of the rest of a split that holds queries out ({@code train:fit}). */
  public static final String FIT = ":fit";

  /**
   * The files of one split; {@code candidates} is empty when its candidate runs are not known yet;
   * {@code heldOut} the query ids of {@link #HELD_OUT} (empty: the split has no held-out part).
   */
  public record Split(List<Path> qrels, List<Path> candidates, Set<String> heldOut) {
    public Split {
      qrels = List.copyOf(qrels);
      candidates = List.copyOf(candidates);
      heldOut = Set.copyOf(heldOut);
    }
  }

  /** What {@link #validate()} found. */
  public record Summary(long documents, long queries, Map<String, SplitSummary> splits) {}

  /** Counts for one split; the candidate counts are 0 when it has no candidate runs. */
  public record SplitSummary(int judgedQueries, int judgments, int candidateQueries, int candidates) {}

  /** The YAML file's shape. */
  private record Definition(String root, String corpus, String queries, Integer relevanceLevel,
      Boolean partialCorpus, Map<String, SplitDefinition> splits) {}

  private record SplitDefinition(List<String> qrels, List<String> candidates, String heldOut) {}

  private final String name;
  private final Path definition;
  private final Path dataRoot;
  private final Map<String, Path> heldOutFiles;
  private final Corpus corpus;
  private final QuerySet queries;
  private final int relevanceLevel;
  private final boolean partialCorpus;
  private final Map<String, Split> splits;
  private final boolean embedded;

  private Dataset(String name, Path definition, Path dataRoot, Map<String, Path> heldOutFiles, Corpus corpus,
      QuerySet queries, int relevanceLevel, boolean partialCorpus, Map<String, Split> splits, boolean embedded) {
    this.name = name;
    this.embedded = embedded;
    this.definition = definition;
    this.dataRoot = dataRoot;
    this.heldOutFiles = Map.copyOf(heldOutFiles);
    this.corpus = corpus;
    this.queries = queries;
    this.relevanceLevel = relevanceLevel;
    this.partialCorpus = partialCorpus;
    this.splits = Collections.unmodifiableMap(splits);
  }

  /**
   * The data root: {@code option} when given, else the environment variable {@value #DATA_ROOT_ENV}, else
   * {@code ../shared/data} relative to the project directory ({@link #home()}).
   */
  public static Path dataRoot(String option) {
    if (option != null && !option.isBlank()) {
      return Path.of(option);
    }
    String env = System.getenv(DATA_ROOT_ENV);
    return env != null && !env.isBlank() ? Path.of(env) : home().resolve(Path.of("..", "shared", "data")).normalize();
  }

  /**
   * The project directory: the system property {@code dualrank.home} (set by {@code bin/dualrank}), else the
   * working directory. Dataset definitions live in its {@code datasets/} folder.
   */
  public static Path home() {
    return Path.of(System.getProperty("dualrank.home", "")).toAbsolutePath();
  }

  /** The dataset {@code datasets/<name>.yaml}, or the YAML file {@code name} itself when it ends in .yaml. */
  public static Dataset named(String name, Path dataRoot) {
    return load(definitionFile(name), dataRoot);
  }

  /** The definition file of a dataset name as {@link #named} resolves it. */
  public static Path definitionFile(String name) {
    return name.endsWith(".yaml") ? Path.of(name) : DEFINITIONS.resolve(name + ".yaml");
  }

  /**
   * The split names a definition file defines, read without its data (to check a setting that names a split
   * before any data is loaded).
   */
  public static Set<String> splitNames(Path yaml) {
    Definition d = definition(yaml);
    return d == null || d.splits() == null ? Set.of()
        : Collections.unmodifiableSet(new LinkedHashSet<>(d.splits().keySet()));
  }

  private static Definition definition(Path yaml) {
    try {
      return YAMLMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build()
          .readValue(yaml.toFile(), Definition.class);
    } catch (JacksonException e) {
      long line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
      throw new InputFormatException(yaml, line, "a dataset definition: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Reads a definition; every file it names must exist under {@code dataRoot} (or the definition's own
   * {@code root}), else a {@link MissingDataException} lists them all.
   */
  public static Dataset load(Path yaml, Path dataRoot) {
    Definition d = definition(yaml);
    if (d == null || d.corpus() == null || d.queries() == null || d.splits() == null || d.splits().isEmpty()) {
      throw new InputFormatException(yaml, 0, "a dataset definition with corpus, queries and splits");
    }
    Path root = d.root() == null ? dataRoot : yaml.toAbsolutePath().getParent().resolve(d.root()).normalize();
    String name = yaml.getFileName().toString().replaceFirst("\\.ya?ml$", "");
    int relevanceLevel = d.relevanceLevel() == null ? 1 : d.relevanceLevel();
    if (relevanceLevel < 1) {
      throw new InputFormatException(yaml, 0, "a relevanceLevel of at least 1, found " + relevanceLevel);
    }
    List<String> named = new java.util.ArrayList<>(List.of(d.corpus(), d.queries()));
    d.splits().forEach((split, s) -> {
      if (s == null || s.qrels() == null || s.qrels().isEmpty()) {
        throw new InputFormatException(yaml, 0, "qrels files for split '" + split + "'");
      }
      if (split.contains(":")) {
        throw new InputFormatException(yaml, 0, "split names without ':' (it marks held-out parts), found '"
            + split + "'");
      }
      named.addAll(s.qrels());
      if (s.candidates() != null) {
        named.addAll(s.candidates());
      }
    });
    List<String> missing = named.stream().filter(p -> !Files.isRegularFile(root.resolve(p))).distinct().toList();
    if (!missing.isEmpty()) {
      throw new MissingDataException(name, root, missing);
    }
    Map<String, Split> splits = new LinkedHashMap<>();
    Map<String, Path> heldOutFiles = new HashMap<>();
    d.splits().forEach((split, s) -> {
      splits.put(split, new Split(files(root, s.qrels()),
          s.candidates() == null ? List.of() : files(root, s.candidates()),
          s.heldOut() == null ? Set.of() : queryIds(yaml, s.heldOut())));
      if (s.heldOut() != null) {
        heldOutFiles.put(split, heldOutFile(yaml, s.heldOut()));
      }
    });
    return new Dataset(name, yaml, root, heldOutFiles, Corpus.open(root.resolve(d.corpus())),
        QuerySet.open(root.resolve(d.queries())), relevanceLevel, Boolean.TRUE.equals(d.partialCorpus()), splits,
        d.root() != null);
  }

  /** A list of query ids, one a line ({@code #} comments and blank lines skipped), beside the definition. */
  private static Set<String> queryIds(Path yaml, String path) {
    Path file = heldOutFile(yaml, path);
    if (!Files.isRegularFile(file)) {
      throw new InputFormatException(yaml, 0, "an existing query-id list for heldOut '" + path
          + "' (relative to the definition file)");
    }
    Set<String> ids = new LinkedHashSet<>();
    try (Stream<Line> lines = TextLines.stream(file)) {
      lines.forEach(line -> {
        String id = line.text().strip();
        if (!id.isEmpty() && !id.startsWith("#") && (id.contains(" ") || id.contains("\t") || !ids.add(id))) {
          throw new InputFormatException(file, line.number(), "one distinct query id a line, found '" + id + "'");
        }
      });
    }
    if (ids.isEmpty()) {
      throw new InputFormatException(file, 0, "at least one query id to hold out");
    }
    return ids;
  }

  private static Path heldOutFile(Path yaml, String path) {
    return yaml.toAbsolutePath().getParent().resolve(path);
  }

  private static List<Path> files(Path root, List<String> paths) {
    return paths.stream().map(root::resolve).toList();
  }

  public String name() {
    return name;
  }

  /** The definition file. */
  public Path definition() {
    return definition;
  }

  /** The data root the definition's paths were resolved against, as given. */
  public Path dataRoot() {
    return dataRoot;
  }

  /** The file listing a split's held-out queries, if it holds some out. */
  public Optional<Path> heldOutFile(String split) {
    return Optional.ofNullable(heldOutFiles.get(baseSplit(split)));
  }

  /** Whether the definition names its own {@code root:} (data shipped with the project, such as the sample). */
  public boolean embedded() {
    return embedded;
  }

  public Corpus corpus() {
    return corpus;
  }

  public QuerySet queries() {
    return queries;
  }

  /** trec_eval's {@code -l} for this dataset: documents graded at least this are relevant. */
  public int relevanceLevel() {
    return relevanceLevel;
  }

  /** Whether the corpus is a sub-collection, so that judged documents may lie outside it. */
  public boolean partialCorpus() {
    return partialCorpus;
  }

  /** The splits by name, in definition order. */
  public Map<String, Split> splits() {
    return splits;
  }

  /** A split by name; {@code NAME:heldout} and {@code NAME:fit} name the parts of a split with held-out queries. */
  public Split split(String split) {
    String base = baseSplit(split);
    Split s = splits.get(base);
    if (s == null) {
      throw new IllegalArgumentException("dataset " + name + " has no split '" + base + "'; it has " + splits.keySet());
    }
    if (isPart(split) && s.heldOut().isEmpty()) {
      throw new IllegalArgumentException("split '" + base + "' of dataset " + name + " holds no queries out, so it"
          + " has no part '" + split + "' (add heldOut: FILE to its definition)");
    }
    return s;
  }

  private static String baseSplit(String split) {
    for (String suffix : List.of(HELD_OUT, FIT)) {
      if (split.endsWith(suffix)) {
        return split.substring(0, split.length() - suffix.length());
      }
    }
    return split;
  }

  /** The split's judgments, all its qrels files together. */
  public Qrels qrels(String split) {
    Qrels all = QrelsReader.read(split(split).qrels(), KnownIds.ANY);
    return isPart(split) ? all.restrictTo(inPart(split, all.queryIds())) : all;
  }

  /** The split's candidate lists, all its run files together; empty when the split has none (yet). */
  public Optional<Run> candidates(String split) {
    List<Path> runs = split(split).candidates();
    if (runs.isEmpty()) {
      return Optional.empty();
    }
    Run all = TrecRunReader.read(runs, KnownIds.ANY);
    return Optional.of(isPart(split) ? all.restrictTo(inPart(split, all.queryIds())) : all);
  }

  private static boolean isPart(String split) {
    return !split.equals(baseSplit(split));
  }

  /** Those of {@code qids} in the part {@code split} names: the held-out ones for NAME:heldout, else the rest. */
  private Set<String> inPart(String split, Set<String> qids) {
    Set<String> heldOut = split(split).heldOut();
    boolean wanted = split.endsWith(HELD_OUT);
    return qids.stream().filter(q -> heldOut.contains(q) == wanted).collect(Collectors.toSet());
  }

  /** This dataset with a split's candidate runs (and so its parts') replaced, e.g. by a BM25 run made later. */
  public Dataset withCandidates(String split, List<Path> runs) {
    Map<String, Split> copy = new LinkedHashMap<>(splits);
    Split s = split(split);
    copy.put(baseSplit(split), new Split(s.qrels(), runs, s.heldOut()));
    return new Dataset(name, definition, dataRoot, heldOutFiles, corpus, queries, relevanceLevel, partialCorpus, copy,
        embedded);
  }

  /**
   * Reads everything once and checks it, throwing {@link InputFormatException} at the first problem: each
   * file well formed; document and query ids unique; every query id of the qrels and candidate runs in the
   * query set; every candidate document in the corpus (it could not be scored otherwise); every judged
   * document in the corpus unless {@link #partialCorpus()}; no query in two splits; every held-out query
   * judged in its split (its held-out and fit parts are one split). The corpus costs one streaming pass and a
   * compact id set; commands run it on every dataset they load (about a second on msmarco-dl, see
   * docs/results/reliability-resume.md).
   */
  public Summary validate() {
    IdSet documents = corpus.ids();
    IdSet queryIds = queries.ids();
    KnownIds forQrels = new KnownIds(queryIds::contains, partialCorpus ? id -> true : documents::contains);
    KnownIds forRuns = new KnownIds(queryIds::contains, documents::contains);
    Map<String, SplitSummary> summaries = new LinkedHashMap<>();
    Map<String, Set<String>> queriesOfSplit = new LinkedHashMap<>();
    splits.forEach((split, files) -> {
      Qrels qrels = QrelsReader.read(files.qrels(), forQrels);
      queriesOfSplit.forEach((other, earlier) -> {
        List<String> shared = qrels.queryIds().stream().filter(earlier::contains).sorted().toList();
        if (!shared.isEmpty()) {
          throw new InputFormatException(definition, 0, "splits with disjoint queries (to hold queries of a split"
              + " out, use heldOut), found " + shared.size() + " judged queries of split " + split
              + " also judged in split " + other + ", e.g. "
              + String.join(", ", shared.subList(0, Math.min(5, shared.size()))));
        }
      });
      queriesOfSplit.put(split, qrels.queryIds());
      for (String qid : files.heldOut()) {
        if (!qrels.queryIds().contains(qid)) {
          throw new InputFormatException(definition, 0, "held-out queries judged in split " + split + ", found '"
              + qid + "' without judgments there");
        }
      }
      Run run = files.candidates().isEmpty() ? null : TrecRunReader.read(files.candidates(), forRuns);
      summaries.put(split, new SplitSummary(qrels.queryIds().size(), qrels.size(),
          run == null ? 0 : run.queryIds().size(), run == null ? 0 : run.size()));
    });
    return new Summary(documents.size(), queryIds.size(), Collections.unmodifiableMap(summaries));
  }
}
