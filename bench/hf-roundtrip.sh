#!/usr/bin/env bash
# Export -> import round trip on SciFact test candidates (docs/results/hf-onnx.md):
#   bench/hf-roundtrip.sh [QUERIES] [WORK_DIR]
# BM25 top-100 of the first QUERIES (default 5) SciFact test queries; a CA and a DE initialised from
# all-MiniLM-L6-v2 (dualrank init: pre-trained body, random CA head; DE mean pooling, normalised), each
# exported to --format hf and re-ranking the candidates as the original (DJL) and as the imported export (DJL);
# prints the max |score difference| over all candidates. Needs ../shared/data (or $DUALRANK_DATA).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
queries="${1:-5}"
work="${2:-$(mktemp -d)}"
mkdir -p "$work"
dr=bin/dualrank
[[ -d "$work/bm25" ]] || $dr bm25 index --dataset scifact --index "$work/bm25" >&2
$dr bm25 search --dataset scifact --index "$work/bm25" --split test -k 100 --out "$work/bm25-all.run" >&2
awk -v n="$queries" '!($1 in seen) { seen[$1] = 1; count++ } count <= n' "$work/bm25-all.run" > "$work/bm25.run"
echo "candidates: $(wc -l < "$work/bm25.run") pairs of $queries test queries" >&2
for kind in ca de; do
  extra=(); [[ $kind == de ]] && extra=(--pooling mean --normalize)
  $dr init --model "$kind" --init all-minilm-l6-v2 "${extra[@]}" --out "$work/$kind" >&2
  $dr export --model "$work/$kind" --format hf --out "$work/$kind-hf" >&2
  for model in "$kind" "$kind-hf"; do
    $dr rerank --dataset scifact --model "$work/$model" --candidates "$work/bm25.run" --out "$work/$model.run" >&2
  done
  awk -v what="$kind" 'NR == FNR { s[$1 " " $3] = $5; next }
      { d = $5 - s[$1 " " $3]; if (d < 0) d = -d; if (d > max) max = d; n++ }
      END { printf "%s hf round trip: %d scores, max |diff| = %.3g\n", what, n, max }' \
    "$work/$kind.run" "$work/$kind-hf.run"
done
