#!/usr/bin/env bash
# Speed of the Spark jobs. Encoding: the Spark encode job at 1 and 2 executor cores (local[1], local[2]) against the
# single-machine `bin/dualrank encode`, on the same first N SciFact abstracts with the pre-trained MiniLM DE
# (max length 160, as `dualrank init --model de` writes it). The machine is shared and noisy: the three are
# interleaved, ROUNDS times, and each run's docs/s is printed (wall time of the whole command, JVM and Spark
# start-up and model load included; for the Spark jobs also job=, the time of the job's Spark action alone, the
# executors' model loads included). Teacher scoring: the teacher-score job at local[1] and local[2] on P pairs
# (the first P/10 SciFact queries x 10 of the N documents) with a MiniLM-bodied CA (`dualrank init --model ca`).
# Not a test. Usage: spark/bench/speed.sh [N] [ROUNDS] [P]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
n="${1:-1000}"; rounds="${2:-2}"; pairs="${3:-500}"
work="$root/spark/target/bench"; mkdir -p "$work"
head -n "$n" "$root/../shared/data/scifact/corpus.jsonl" > "$work/corpus.jsonl"
[[ -d "$work/minilm-de" ]] || "$root/bin/dualrank" init --model de --pooling mean --normalize --out "$work/minilm-de" >/dev/null
[[ -d "$work/minilm-ca" ]] || "$root/bin/dualrank" init --model ca --out "$work/minilm-ca" >/dev/null
head -n $((pairs / 10)) "$root/../shared/data/scifact/queries.jsonl" > "$work/queries.jsonl"
python3 - "$work" "$pairs" <<'PY'
import json, sys
work, pairs = sys.argv[1], int(sys.argv[2])
qids = [json.loads(l)["_id"] for l in open(f"{work}/queries.jsonl")]
docs = [json.loads(l)["_id"] for l in open(f"{work}/corpus.jsonl")]
with open(f"{work}/candidates.run", "w") as out:
    for i, q in enumerate(qids):
        for r in range(10):
            out.write(f"{q} Q0 {docs[(i * 10 + r) % len(docs)]} {r + 1} {10 - r} bench\n")
PY
(cd "$root" && mvn -B -q install -DskipTests) >&2
(cd "$root/spark" && mvn -B -q package -DskipTests && mvn -B -q dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile=target/bench/classpath.txt) >&2
cp="$root/spark/target/dualrank-spark.jar:$(cat "$work/classpath.txt")"
# the flags of spark/pom.xml's surefire argLine (what spark-submit's launcher passes on JDK 17)
flags=$(sed -n 's:.*<spark.jvm.flags>\(.*\)</spark.jvm.flags>.*:\1:p' "$root/spark/pom.xml")
source "$root/bin/native-env"
export DJL_CACHE_DIR="$root/target/djl-cache"
rate() { python3 -c "import sys; print(f'{float(sys.argv[2])/float(sys.argv[1]):.1f}')" "$1" "$count"; }
run() { # label command... (count: documents or pairs the command does)
  local label=$1; shift; rm -rf "$work/out"
  local start=$(date +%s.%N); "$@" >/dev/null 2>"$work/$label.log"; local end=$(date +%s.%N)
  local s=$(python3 -c "print(f'{$end-$start:.1f}')")
  local job=$(grep -ho '[0-9.]* s ([0-9.]*/s)' "$work/$label.log" | tail -1)
  echo "$label round=$r wall_s=$s wall_per_s=$(rate "$s") ${job:+job=\"$job\"}"
}
spark_job() { # master class args...
  local master=$1 class=$2; shift 2
  java -Xmx6g $flags -Dspark.master="$master" -Dspark.ui.enabled=false -Dspark.driver.host=127.0.0.1 \
    -Dai.djl.offline=true -Dai.djl.default_engine=PyTorch -cp "$cp" "$class" "$@"
}
spark_encode() { spark_job "$1" io.dualrank.spark.EncodeJob --model "$work/minilm-de" --corpus "$work/corpus.jsonl" --out "$work/out"; }
spark_teacher() {
  spark_job "$1" io.dualrank.spark.TeacherScoreJob --model "$work/minilm-ca" --candidates "$work/candidates.run" \
    --queries "$work/queries.jsonl" --corpus "$work/corpus.jsonl" --out "$work/out" --text-out "$work/teacher.txt"
}
echo "docs=$n pairs=$pairs rounds=$rounds commit=$(git -C "$root" rev-parse --short HEAD) cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs) cores=$(nproc) load=$(cut -d' ' -f1 /proc/loadavg)"
for r in $(seq 1 "$rounds"); do
  count=$n
  run single "$root/bin/dualrank" encode --model "$work/minilm-de" --corpus "$work/corpus.jsonl" --out "$work/out"
  run spark-local1 spark_encode 'local[1]'
  run spark-local2 spark_encode 'local[2]'
  count=$pairs
  run teacher-local1 spark_teacher 'local[1]'
  run teacher-local2 spark_teacher 'local[2]'
done
echo "load_after=$(cut -d' ' -f1 /proc/loadavg)"
