#!/usr/bin/env bash
# Snapshot of everything aftale prints about the shipped inputs, for refactors that must not change
# output (issue 22): `extract --json` of every corpus, fixture and generated file, and the JSON of a
# fixed set of searches and tables over an index of them. Compare two snapshots with `diff -r`.
#
#   scripts/snapshot.sh OUT [BIN]     # BIN defaults to target/release/aftale
#
# The index is built with one thread. The generated corpus (300 agreements, 40 as PDF, seed 1) is made once under target/snapshot-corpus
# by `aftale-bench gen-corpus` (the workspace crate crates/aftale-bench; build it with
# `cargo build --release --workspace`). GEN_BIN defaults to aftale-bench beside BIN.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=$1
BIN=${2:-target/release/aftale}
GEN_BIN=${GEN_BIN:-$(dirname "$BIN")/aftale-bench}
GEN=target/snapshot-corpus
mkdir -p "$OUT/extract"
if [ ! -e "$GEN/.complete" ]; then
  rm -rf "$GEN"
  "$GEN_BIN" gen-corpus --docs 300 --pdf 40 --seed 1 --out "$GEN" >&2
  touch "$GEN/.complete"
fi
inputs=$(find corpus fixtures ../shared/real ../shared/seeds "$GEN" -type f \
  \( -name '*.txt' -o -name '*.pdf' \) -not -path '*/gold/*' | sort)
export BIN OUT
printf '%s\n' $inputs | xargs -P 2 -I{} sh -c \
  'f="{}"; n=$(printf %s "$f" | tr "/." "__"); "$BIN" extract --json "$f" > "$OUT/extract/$n.json" 2>/dev/null; echo "exit $?" >> "$OUT/extract/$n.json"'
# Hits of equal score come in the order of their documents in the index, which depends on when
# ingest committed: hits are compared sorted within each score, and the lowest score of a full
# page (which the limit may cut anywhere among its ties) is left out.
canon() {
  python3 -c '
import json, sys
lines = [l for l in sys.stdin.read().splitlines() if l.strip()]
def score(l):
    try: return json.loads(l).get("score")
    except ValueError: return None
hits = [(score(l), l) for l in lines]
if len(hits) == 50 and hits[-1][0] is not None:
    low = hits[-1][0]
    hits = [h for h in hits if h[0] != low]
hits.sort(key=lambda h: (-(h[0] or 0), h[1]))
print("\n".join(l for _, l in hits))'
}
idx=$(mktemp -d)
"$BIN" ingest --index "$idx" -j 1 --ocr never corpus fixtures/inputs "$GEN" >/dev/null 2>&1 || true
for q in "databehandler" "underretning 24 timer" "microsoft ireland" "brud paa persondatasikkerheden" \
         "sletning" "\"skriftlig instruks\"" "revision -tilsyn" "aws" "ophør"; do
  "$BIN" search --index "$idx" --json --limit 50 "$q" 2>&1 | canon > "$OUT/search_$(printf %s "$q" | tr -c 'a-zA-Z0-9' _).jsonl" || true
done
"$BIN" subprocessors --index "$idx" --json > "$OUT/subprocessors.jsonl" 2>&1 || true
"$BIN" deadlines --index "$idx" --json > "$OUT/deadlines.jsonl" 2>&1 || true
"$BIN" review --index "$idx" --json > "$OUT/review.jsonl" 2>&1 || true
"$BIN" topics --index "$idx" > "$OUT/topics.txt" 2>&1 || true
rm -rf "$idx"
echo "snapshot: $(ls "$OUT/extract" | wc -l) extracts in $OUT" >&2
