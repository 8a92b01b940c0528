package io.dualrank.data.fetch;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A data set that {@code dualrank data fetch NAME} can download: the files it downloads (with their pinned
 * checksums), how they become the layout of its dataset definition under the data root, and which files
 * of the data root it writes. The real hosts cannot be reached from the machines this project is built on,
 * so the URLs are recorded here but only loopback copies are exercised by the tests.
 *
 * @param name what {@code dualrank data fetch} is given
 * @param description one line for {@code dualrank data list}
 * @param downloads what is downloaded, in order
 * @param conversion how the downloads become the files
 * @param files the files it writes, relative to the data root
 * @param bring what the user must bring for the dataset that this source does not cover (empty: nothing)
 */
public record DataSource(String name, String description, List<Download> downloads, Conversion conversion,
    List<String> files, String bring) {

  public DataSource {
    downloads = List.copyOf(downloads);
    files = List.copyOf(files);
  }

  /**
   * One downloaded file.
   *
   * @param url where it comes from
   * @param fileName the name it is saved under before conversion
   * @param sha256 its SHA-256 (lower-case hex), or null when none could be pinned: then fetch prints that the
   *     download is unverified, with the SHA-256 it got
   * @param md5 a published MD5 (lower-case hex) that is checked as well, or null
   * @param provenance where the checksums come from
   */
  public record Download(String url, String fileName, String sha256, String md5, String provenance) {
    /** Whether the download is checked against a pinned SHA-256. */
    public boolean verified() {
      return sha256 != null;
    }
  }

  private static final String BEIR = "https://public.ukp.informatik.tu-darmstadt.de/thakur/BEIR/datasets/";
  private static final String SQUAD = "https://rajpurkar.github.io/SQuAD-explorer/dataset/";
  private static final String NIST = "https://trec.nist.gov/data/deep/";
  private static final String MSMARCO = "https://msmarco.z22.web.core.windows.net/msmarcoranking/";
  /** QED's GitHub files at fixed commits: ../shared/data/nq's train split is the 2020 shards, in order. */
  private static final String QED = "https://raw.githubusercontent.com/google-research-datasets/QED/";
  private static final String QED_TRAIN_COMMIT = "71e19e085640a2032c803a839d716f0a1b526bff";
  private static final String QED_DEV_COMMIT = "ec6951575cd21fa00a700654bfa2f1a7d2b644db";

  private static final List<DataSource> KNOWN = List.of(
      new DataSource("scifact", "BEIR SciFact (CC BY-NC 2.0): corpus, queries, train/test qrels",
          List.of(new Download(BEIR + "scifact.zip", "scifact.zip",
              "536e14446a0ba56ed1398ab1055f39fe852686ecad24a6306c80c490fa8e0165", "5f7d1de60b170fc8027bb7898e2efca1",
              "MD5 published in BEIR's README; SHA-256 (2,816,079 bytes) as recorded by other public projects that"
                  + " downloaded it, not downloaded here")),
          Conversion.UNZIP,
          List.of("scifact/corpus.jsonl", "scifact/queries.jsonl", "scifact/qrels/train.tsv", "scifact/qrels/test.tsv"),
          ""),
      new DataSource("squad", "SQuAD v1.1 (CC BY-SA 4.0) as passage ranking: paragraphs, questions, train/test qrels",
          List.of(new Download(SQUAD + "train-v1.1.json", "train-v1.1.json", null, "981b29407e0affa3b1b156f72073b945",
                  "MD5 as pinned by torchtext's SQuAD1 loader; no published SHA-256"),
              new Download(SQUAD + "dev-v1.1.json", "dev-v1.1.json", null, "3e85deb501d4e538b6bc56f786231552",
                  "MD5 as pinned by torchtext's SQuAD1 loader; no published SHA-256")),
          Conversion.SQUAD,
          List.of("squad/corpus.jsonl", "squad/queries.jsonl", "squad/qrels/train.tsv", "squad/qrels/test.tsv"),
          ""),
      new DataSource("nq", "Natural Questions with QED's gold paragraphs (CC BY-SA 3.0): paragraphs, questions,"
          + " train/test qrels", qedDownloads(), Conversion.NQ,
          List.of("nq/corpus.jsonl", "nq/queries.jsonl", "nq/qrels/train.tsv", "nq/qrels/test.tsv"), ""),
      new DataSource("trec-dl", "TREC Deep Learning 2019-2021 passage qrels (NIST) and the judged queries' text",
          List.of(new Download(NIST + "2019qrels-pass.txt", "2019qrels-pass.txt", null, null, "no published checksum"),
              new Download(NIST + "2020qrels-pass.txt", "2020qrels-pass.txt", null, null, "no published checksum"),
              new Download(NIST + "2021.qrels.pass.final.txt", "2021.qrels.pass.final.txt", null, null,
                  "no published checksum"),
              new Download(MSMARCO + "msmarco-test2019-queries.tsv.gz", "msmarco-test2019-queries.tsv.gz", null, null,
                  "no published checksum"),
              new Download(MSMARCO + "msmarco-test2020-queries.tsv.gz", "msmarco-test2020-queries.tsv.gz", null, null,
                  "no published checksum"),
              new Download(MSMARCO + "2021_queries.tsv", "2021_queries.tsv", null, null, "no published checksum")),
          Conversion.TREC_DL,
          List.of("msmarco-dl/qrels.dl19.txt", "msmarco-dl/qrels.dl20.txt", "msmarco-dl/qrels.dl21.txt",
              "msmarco-dl/queries.tsv"),
          "msmarco-dl/collection.tsv (the MS MARCO v1 passages and, for DL21, the v2 passages of the runs) and the"
              + " BM25 top-100 runs msmarco-dl/runs/bm25.dl19.trec, .dl20.trec, .dl21.trec (Anserini's regressions),"
              + " under the MS MARCO terms (research only): https://microsoft.github.io/msmarco/"));

  /** QED's six 2020 train shards, then its dev file (the test split). */
  private static List<Download> qedDownloads() {
    String provenance = "no published checksum; a GitHub file at a fixed commit";
    List<Download> downloads = new ArrayList<>();
    for (int shard = 0; shard < 6; shard++) {
      String name = "nq-train-0" + shard + "-qed.jsonlines";
      downloads.add(new Download(QED + QED_TRAIN_COMMIT + "/" + name, name, null, null, provenance));
    }
    downloads.add(new Download(QED + QED_DEV_COMMIT + "/qed-dev.jsonlines", "qed-dev.jsonlines", null, null,
        provenance));
    return downloads;
  }

  /** Every source {@code dualrank data fetch} knows. */
  public static List<DataSource> known() {
    return KNOWN;
  }

  public static Optional<DataSource> named(String name) {
    return KNOWN.stream().filter(s -> s.name().equals(name)).findFirst();
  }

  /** The source that writes {@code file} (relative to the data root), if any. */
  public static Optional<DataSource> covering(String file) {
    String normal = file.replace('\\', '/');
    return KNOWN.stream().filter(s -> s.files().contains(normal)).findFirst();
  }
}
