#!/usr/bin/env bash
# The Spark job beside `aftale ingest` on the same machine and the same files: prints one
# markdown table (documents/s of each, and the ratios Spark local[2] / ingest -j 2 and
# Spark local[2] / local[1]).
#
#   scale/spark/bench.sh              # 10k generated agreements
#   AFTALE_SPARK_DOCS=500 scale/spark/bench.sh
#
# Settings (environment): AFTALE_SPARK_DOCS (10000), AFTALE_SPARK_DIR (target/aftale-spark:
# the generated corpus, reused between runs, and the outputs of the last run). The corpus comes
# from `aftale-bench gen-corpus --seed 1` (text agreements), as in benches/e2e.sh, so another
# machine measures the same bytes. Times are wall clock of the whole command, Spark's start-up
# (JVM, Python workers) included. Needs java and spark-submit (pip install pyspark). Progress
# goes to stderr.
set -euo pipefail
cd "$(dirname "$0")/../.."

DOCS=${AFTALE_SPARK_DOCS:-10000}
WORK=${AFTALE_SPARK_DIR:-target/aftale-spark}
SEED=1

say() { echo "spark-bench: $*" >&2; }

for tool in cargo java spark-submit; do
  command -v "$tool" >/dev/null 2>&1 || { say "$tool is missing"; exit 1; }
done

say "building"
cargo build --release --locked --workspace >&2
TARGET=${CARGO_TARGET_DIR:-$PWD/target}
BIN=$TARGET/release/aftale
BENCH_BIN=$TARGET/release/aftale-bench
mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)

CORPUS="$WORK/corpus-$DOCS"
if [ ! -e "$CORPUS/.complete" ]; then
  rm -rf "$CORPUS"
  say "generating $DOCS agreements"
  "$BENCH_BIN" gen-corpus --docs "$DOCS" --seed "$SEED" --out "$CORPUS" >&2
  touch "$CORPUS/.complete"
fi
INPUT="$CORPUS/txt"
FILES=$(find "$INPUT" -type f | wc -l)

# timed NAME CMD...: run CMD (exit 0 or 1: some inputs failed) and set SECS to its wall clock.
timed() {
  local name=$1; shift
  say "$name"
  local start end code=0
  start=$(date +%s.%N)
  "$@" >"$WORK/$name.out" 2>"$WORK/$name.err" || code=$?
  end=$(date +%s.%N)
  if [ "$code" -gt 1 ]; then
    say "$name exited with $code; see $WORK/$name.err"
    exit 1
  fi
  SECS=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b - a }')
}
rate() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.1f", n / s }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

rm -rf "$WORK/index"
timed ingest-j2 nice -n 10 "$BIN" ingest "$INPUT" --index "$WORK/index" -j 2
INGEST_SECS=$SECS; INGEST_RATE=$(rate "$FILES" "$SECS")

timed extract-j2 nice -n 10 "$BIN" extract --jsonl "$INPUT" -j 2
EXTRACT_SECS=$SECS; EXTRACT_RATE=$(rate "$FILES" "$SECS")

spark() {
  local master=$1 out="$WORK/out-$2"
  rm -rf "$out"
  timed "spark-$2" nice -n 10 spark-submit --master "$master" scale/spark/aftale_job.py \
    --bin "$BIN" --input "$INPUT" --output "$out"
}
spark 'local[2]' local2
L2_SECS=$SECS; L2_RATE=$(rate "$FILES" "$SECS")
# The job's own split (summary.json): the aftale phase alone, Spark's start-up included.
L2_EXTRACT=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["phase_seconds"]["extract"])' \
  "$WORK/out-local2/summary.json")
spark 'local[1]' local1
L1_SECS=$SECS; L1_RATE=$(rate "$FILES" "$SECS")

# The laptop side: the records Spark wrote, into a fresh index.
rm -rf "$WORK/index-from-spark"
timed index-from-jsonl sh -c "cat '$WORK'/out-local2/records/part-* | nice -n 10 '$BIN' index --from-jsonl - --index '$WORK/index-from-spark'"
IMPORT_SECS=$SECS; IMPORT_RATE=$(rate "$FILES" "$SECS")

# The bulk body of the ingested index, exported twice and checked line by line.
timed export-1 "$BIN" export --index "$WORK/index"
EXPORT_SECS=$SECS
cp "$WORK/export-1.out" "$WORK/bulk-1.ndjson"
timed export-2 "$BIN" export --index "$WORK/index"
cp "$WORK/export-2.out" "$WORK/bulk-2.ndjson"
BULK=$(python3 scale/opensearch/validate_bulk.py "$WORK/bulk-1.ndjson" "$WORK/bulk-2.ndjson" | sed "s#$WORK/##g")
BULK_MB=$(awk -v b="$(stat -c %s "$WORK/bulk-1.ndjson")" 'BEGIN { printf "%.0f", b / 1e6 }')

echo "| run ($FILES generated agreements, $(nproc) cores) | seconds | documents/s |"
echo "|---|---:|---:|"
echo "| aftale ingest -j 2 | $INGEST_SECS | $INGEST_RATE |"
echo "| Spark local[2] (aftale_job.py, -j 1 per task) | $L2_SECS | $L2_RATE |"
echo "| Spark local[2], its extract phase alone (summary.json) | $L2_EXTRACT | $(rate "$FILES" "$L2_EXTRACT") |"
echo "| Spark local[1] | $L1_SECS | $L1_RATE |"
echo "| aftale extract --jsonl -j 2 (no Spark, no index) | $EXTRACT_SECS | $EXTRACT_RATE |"
echo "| aftale index --from-jsonl of Spark's records | $IMPORT_SECS | $IMPORT_RATE |"
echo "| Spark local[2] ÷ ingest -j 2 | | $(ratio "$L2_RATE" "$INGEST_RATE") |"
echo "| Spark local[2] ÷ extract --jsonl -j 2 | | $(ratio "$L2_RATE" "$EXTRACT_RATE") |"
echo "| Spark local[2] ÷ local[1] | | $(ratio "$L2_RATE" "$L1_RATE") |"
echo
echo "Bulk body of the ingested index: $EXPORT_SECS s, $BULK_MB MB; $BULK"
