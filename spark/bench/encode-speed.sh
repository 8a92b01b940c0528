#!/usr/bin/env bash
# Encoding speed: the Spark encode job at 1 and 2 executor cores (local[1], local[2]) against the
# single-machine `bin/dualrank encode`, on the same first N SciFact abstracts with the pre-trained MiniLM DE
# (max length 160, as `dualrank init --model de` writes it). The machine is shared and noisy: the three are
# interleaved, ROUNDS times, and each run's docs/s is printed (wall time of the whole command, JVM and Spark
# start-up and model load included). Not a test. Usage: spark/bench/encode-speed.sh [N] [ROUNDS]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
n="${1:-1000}"; rounds="${2:-2}"
work="$root/spark/target/bench"; mkdir -p "$work"
head -n "$n" "$root/../shared/data/scifact/corpus.jsonl" > "$work/corpus.jsonl"
[[ -d "$work/minilm-de" ]] || "$root/bin/dualrank" init --model de --pooling mean --normalize --out "$work/minilm-de" >/dev/null
(cd "$root" && mvn -B -q install -DskipTests) >&2
(cd "$root/spark" && mvn -B -q package -DskipTests && mvn -B -q dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile=target/bench/classpath.txt) >&2
cp="$root/spark/target/dualrank-spark.jar:$(cat "$work/classpath.txt")"
# the flags of spark/pom.xml's surefire argLine (what spark-submit's launcher passes on JDK 17)
flags=$(sed -n 's:.*<spark.jvm.flags>\(.*\)</spark.jvm.flags>.*:\1:p' "$root/spark/pom.xml")
source "$root/bin/native-env"
export DJL_CACHE_DIR="$root/target/djl-cache"
rate() { python3 -c "import sys; print(f'{$n/float(sys.argv[1]):.1f}')" "$1"; }
run() { # label command...
  local label=$1; shift; rm -rf "$work/out"
  local start=$(date +%s.%N); "$@" >/dev/null 2>"$work/$label.log"; local end=$(date +%s.%N)
  local s=$(python3 -c "print(f'{$end-$start:.1f}')")
  echo "$label round=$r seconds=$s docs_per_s=$(rate "$s")"
}
spark_encode() { # master
  java -Xmx6g $flags -Dspark.master="$1" -Dspark.ui.enabled=false -Dspark.driver.host=127.0.0.1 \
    -Dai.djl.offline=true -Dai.djl.default_engine=PyTorch -cp "$cp" io.dualrank.spark.EncodeJob \
    --model "$work/minilm-de" --corpus "$work/corpus.jsonl" --out "$work/out"
}
echo "docs=$n rounds=$rounds commit=$(git -C "$root" rev-parse --short HEAD) cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs) cores=$(nproc) load=$(cut -d' ' -f1 /proc/loadavg)"
for r in $(seq 1 "$rounds"); do
  run single "$root/bin/dualrank" encode --model "$work/minilm-de" --corpus "$work/corpus.jsonl" --out "$work/out"
  run spark-local1 spark_encode 'local[1]'
  run spark-local2 spark_encode 'local[2]'
done
echo "load_after=$(cut -d' ' -f1 /proc/loadavg)"
