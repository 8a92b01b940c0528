#!/usr/bin/env bash
# Bounded abuse run of `dualrank serve` on loopback (about two minutes): normal load with wrk, then clients
# that hang up early, clients that send their headers slowly, oversized requests and another Host, then
# normal load again. Prints the server's open file descriptors, RSS and /health counters before, between and
# after. Results in docs/results/reliability-serve.md.
#   bench/serve-abuse.sh [DATASET_DIR (default ../shared/data/scifact)]
# Environment: PORT (18081); DUALRANK, the launcher of the server under test (bin/dualrank; another build's
# launcher measures that build); SERVE_OPTS, its extra options (--idle-timeout 5 --max-connections 256).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
data=${1:-../shared/data/scifact}
port=${PORT:-18081}
work=target/serve-abuse
mkdir -p "$work"

[[ -d $work/index ]] || bin/dualrank index --model hashing:384 --corpus "$data/corpus.jsonl" --index "$work/index"
jq -r '"/search?k=10&rerank=100&q=" + (.text | @uri)' "$data/queries.jsonl" > "$work/rerank-paths.txt"

# shellcheck disable=SC2086
DUALRANK_JAVA_OPTS=-Xmx2g nice -n 10 "${DUALRANK:-bin/dualrank}" serve --index "$work/index" --rerank hashing:1024 \
  --depth 100 --port "$port" --threads 4 ${SERVE_OPTS---idle-timeout 5 --max-connections 256} 2>"$work/serve.log" &
server=$!
trap 'kill $server' EXIT
echo "server: ${DUALRANK:-bin/dualrank} (commit $(git rev-parse --short HEAD) here); machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2)"
for _ in $(seq 60); do
  curl -sf -m 5 "http://127.0.0.1:$port/health" >/dev/null && break
  sleep 1
done

state() {
  echo "[$1] open fds $(ls /proc/$server/fd | wc -l), RSS $(awk '/VmRSS/ {print $2, $3}' /proc/$server/status)," \
    "threads $(awk '/Threads/ {print $2}' /proc/$server/status), health $(curl -sf -m 10 "http://127.0.0.1:$port/health" || echo "no answer in 10 s")"
}
load() {
  echo "### $1: wrk -t2 -c16 -d20s --latency (DE + re-rank depth 100); load average $(cut -d' ' -f1-3 /proc/loadavg)"
  WRK_PATHS="$work/rerank-paths.txt" wrk -t2 -c16 -d20s --latency -s bench/wrk-paths.lua "http://127.0.0.1:$port"
}

# 5 s of warm-up (JIT compilation), not reported.
WRK_PATHS="$work/rerank-paths.txt" wrk -t2 -c16 -d5s -s bench/wrk-paths.lua "http://127.0.0.1:$port" >/dev/null
state "before"
load "normal load, before"
state "after normal load"
echo "### aborted clients"; python3 bench/abuse-clients.py "$port" aborted 3000
sleep 2; state "2 s after aborted clients"
echo "### slow clients"; python3 bench/abuse-clients.py "$port" slow 200 20
state "after slow clients"
echo "### oversized requests"; python3 bench/abuse-clients.py "$port" oversized 500
echo "### other Host"; python3 bench/abuse-clients.py "$port" badhost 500
state "after oversized and other-Host requests"
load "normal load, after"
sleep 6; state "after (idle timeout passed)"
echo "server log: $(wc -l < "$work/serve.log") lines, the most frequent:"
sort "$work/serve.log" | uniq -c | sort -rn | awk 'NR <= 5' 
