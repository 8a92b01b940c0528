#!/usr/bin/env bash
# Load test of `dualrank serve` with wrk on loopback: indexes a BEIR corpus with the hashing encoder, serves
# it, and sends its queries (cycled) to /search, without and with re-ranking. Results in docs/results/serve-load.md.
#   bench/serve-load.sh [DATASET_DIR (default ../shared/data/scifact)] [DURATION (default 30s)]
# Environment: PORT (18080); DUALRANK, the launcher of the server under test (bin/dualrank; another build's
# launcher measures that build).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
data=${1:-../shared/data/scifact}
duration=${2:-30s}
port=${PORT:-18080}
work=target/serve-load
mkdir -p "$work"

# The index is reused when present (delete target/serve-load to rebuild it).
[[ -d $work/index ]] || bin/dualrank index --model hashing:384 --corpus "$data/corpus.jsonl" --index "$work/index"
jq -r '"/search?k=10&rerank=0&q=" + (.text | @uri)' "$data/queries.jsonl" > "$work/search-paths.txt"
jq -r '"/search?k=10&rerank=100&q=" + (.text | @uri)' "$data/queries.jsonl" > "$work/rerank-paths.txt"

DUALRANK_JAVA_OPTS=-Xmx2g nice -n 10 "${DUALRANK:-bin/dualrank}" serve --index "$work/index" --rerank hashing:1024 --depth 100 \
  --port "$port" --threads 4 2>"$work/serve.log" &
server=$!
trap 'kill $server' EXIT
for _ in $(seq 60); do
  curl -sf -m 5 "http://127.0.0.1:$port/health" >/dev/null && break
  sleep 1
done
curl -sf "http://127.0.0.1:$port/health"; echo

for paths in search rerank; do
  # 10 s of warm-up (JIT compilation), not reported.
  WRK_PATHS="$work/$paths-paths.txt" wrk -t2 -c16 -d10s -s bench/wrk-paths.lua "http://127.0.0.1:$port" >/dev/null
  echo "### $paths: wrk -t2 -c16 -d$duration --latency (paths $work/$paths-paths.txt); load average $(cut -d' ' -f1-3 /proc/loadavg)"
  WRK_PATHS="$work/$paths-paths.txt" wrk -t2 -c16 -d"$duration" --latency -s bench/wrk-paths.lua "http://127.0.0.1:$port"
  echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
done
