#!/usr/bin/env bash
# End-to-end benchmark of aftale (issue 9): prints one markdown table, each measurement beside a
# baseline run in the same script on the same files (ratios mean more than seconds on a shared
# machine).
#
#   benches/e2e.sh                       # 10k text agreements, 1k PDFs, scaling at 1k/10k/50k
#   AFTALE_E2E_SCALE="1000 10000" benches/e2e.sh   # leave out the 50k run
#
# Settings (environment): AFTALE_E2E_DOCS (10000), AFTALE_E2E_PDFS (1000), AFTALE_E2E_SCALE
# ("1000 10000 50000"), AFTALE_E2E_JOBS (2: the worker threads of the main runs, and xargs -P
# of pdftotext), AFTALE_E2E_DIR (target/aftale-e2e: corpora and indexes, reused between runs).
#
# Rows: text ingest of the generated agreements (documents/s, MB/s, peak RSS from
# /usr/bin/time -v, index size) beside `aftale-bench index-floor`, tantivy alone indexing the same
# texts with the same analyzer; PDF ingest beside pdftotext over the same PDFs with the same
# parallelism (installed with apt-get when missing); re-ingest of the unchanged corpus; 1 vs
# 2 threads; 1k/10k/50k documents; search p50/p99 from `cargo bench --bench search` over the
# ingested index, beside rg over the corpus text. Peak RSS is given twice: as /usr/bin/time
# reports it, which counts the index files ingest has memory-mapped (page cache the kernel can
# take back), and the process's own memory (RssAnon). Corpora come from `aftale-bench gen-corpus`
# (seed 1), so another machine measures the same bytes. `aftale-bench` is the workspace crate
# crates/aftale-bench, built here beside `aftale`. Progress goes to stderr.
set -euo pipefail
cd "$(dirname "$0")/.."

DOCS=${AFTALE_E2E_DOCS:-10000}
PDFS=${AFTALE_E2E_PDFS:-1000}
SCALE=${AFTALE_E2E_SCALE:-"1000 10000 50000"}
JOBS=${AFTALE_E2E_JOBS:-2}
WORK=${AFTALE_E2E_DIR:-target/aftale-e2e}
SEED=1

say() { echo "e2e: $*" >&2; }

for tool in cargo /usr/bin/time; do
  command -v "$tool" >/dev/null 2>&1 || { say "$tool is missing"; exit 1; }
done
if ! command -v pdftotext >/dev/null 2>&1; then
  say "installing poppler-utils (pdftotext)"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get install -y poppler-utils >&2 || say "could not install pdftotext; its row is left out"
fi

say "building"
cargo build --release --locked --workspace >&2
TARGET=${CARGO_TARGET_DIR:-$PWD/target}
BIN=$TARGET/release/aftale
BENCH_BIN=$TARGET/release/aftale-bench
mkdir -p "$WORK"

# corpus N PDFS: a generated corpus folder (made once, reused).
corpus() {
  local dir="$WORK/corpus-$1-$2"
  if [ ! -e "$dir/.complete" ]; then
    rm -rf "$dir"
    say "generating $1 agreements ($2 as PDF)"
    "$BENCH_BIN" gen-corpus --docs "$1" --pdf "$2" --seed "$SEED" --out "$dir" >&2
    touch "$dir/.complete"
  fi
  echo "$dir"
}

# run NAME CMD...: run with /usr/bin/time -v; sets SECS, RSS_MB (peak resident set, which
# counts the index files the process has memory-mapped) and ANON_MB (peak of its own memory,
# RssAnon, sampled every 0.2 s).
run() {
  local name=$1; shift
  say "$name"
  local log="$WORK/$name.time"
  /usr/bin/time -v -o "$log" "$@" >"$WORK/$name.out" 2>"$WORK/$name.err" &
  local tpid=$! anon=0 child a code=0
  while kill -0 "$tpid" 2>/dev/null; do
    for child in $(pgrep -P "$tpid" 2>/dev/null || true); do
      a=$(awk '/^RssAnon/ { print $2 }' "/proc/$child/status" 2>/dev/null || true)
      if [ -n "$a" ] && [ "$a" -gt "$anon" ]; then anon=$a; fi
    done
    sleep 0.2
  done
  wait "$tpid" || code=$?
  # ingest exits 1 when some input failed; anything else is a broken run.
  if [ "$code" -ne 0 ] && [ "$code" -ne 1 ]; then
    say "$name failed ($code): $(tail -3 "$WORK/$name.err")"
    exit 1
  fi
  SECS=$(awk -F': ' '/Elapsed \(wall clock\)/ {
      n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s }' "$log")
  RSS_MB=$(awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$log")
  ANON_MB=$((anon / 1024))
}

bytes_of() { du -sb "$1" | cut -f1; }
mb() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1e6 }'; }
rate() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.0f", n / s }'; }
mbps() { awk -v b="$1" -v s="$2" 'BEGIN { printf "%.1f", b / 1e6 / s }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
pct() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f %%", 100 * a / b }'; }

ROWS=()
row() { ROWS+=("| $1 | $2 | $3 | $4 | $5 |"); }

# Ingest N text agreements with J threads into a fresh index; sets SECS, RSS_MB, INDEX_MB.
ingest() {
  local n=$1 j=$2 dir index
  dir=$(corpus "$n" 0)
  index="$WORK/index-$n-j$j"
  rm -rf "$index"
  run "ingest-$n-j$j" nice -n 10 "$BIN" ingest "$dir/txt" --index "$index" -j "$j"
  INDEX_MB=$(mb "$(bytes_of "$index")")
}

# 1. Text ingest beside tantivy alone.
MAIN=$(corpus "$DOCS" 0)
TXT_BYTES=$(bytes_of "$MAIN/txt")
ingest "$DOCS" "$JOBS"
INGEST_SECS=$SECS INGEST_RSS=$RSS_MB INGEST_ANON=$ANON_MB INGEST_INDEX_MB=$INDEX_MB
MAIN_INDEX="$WORK/index-$DOCS-j$JOBS"
INGEST_RATE=$(rate "$DOCS" "$SECS")
INGEST_TEXT="$INGEST_RATE docs/s, $(mbps "$TXT_BYTES" "$SECS") MB/s, ${SECS} s; peak RSS $RSS_MB MB (own $ANON_MB MB); index $INDEX_MB MB"
rm -rf "$WORK/floor-$DOCS"
run "floor-$DOCS" nice -n 10 "$BENCH_BIN" index-floor "$MAIN/txt" --index "$WORK/floor-$DOCS"
FLOOR_RATE=$(rate "$DOCS" "$SECS")
row "text ingest, $DOCS agreements ($(mb "$TXT_BYTES") MB), -j $JOBS" "$INGEST_TEXT" \
  "tantivy alone, same texts (\`aftale-bench index-floor\`): $FLOOR_RATE docs/s, $(mbps "$TXT_BYTES" "$SECS") MB/s, ${SECS} s; peak RSS $RSS_MB MB (own $ANON_MB MB); index $(mb "$(bytes_of "$WORK/floor-$DOCS")") MB" \
  "$(ratio "$INGEST_RATE" "$FLOOR_RATE")" "≥ 0.50"

# 2. Re-ingest of the unchanged corpus.
run "reingest-$DOCS" nice -n 10 "$BIN" ingest "$MAIN/txt" --index "$MAIN_INDEX" -j "$JOBS"
row "re-ingest of the unchanged $DOCS" "${SECS} s; peak RSS $RSS_MB MB (own $ANON_MB MB)" \
  "re-ingest / first ingest" "$(pct "$SECS" "$INGEST_SECS")" "≤ 5 %"

# 3. One thread.
ingest "$DOCS" 1
rm -rf "$WORK/index-$DOCS-j1"
row "text ingest, $DOCS agreements, -j 1" "$(rate "$DOCS" "$SECS") docs/s, ${SECS} s; peak RSS $RSS_MB MB (own $ANON_MB MB)" \
  "-j $JOBS / -j 1" "$(ratio "$SECS" "$INGEST_SECS")×" "(2 cores)"

# 4. PDFs beside pdftotext, same files, same parallelism.
PDFDIR=$(corpus "$PDFS" "$PDFS")/pdf
PDF_BYTES=$(bytes_of "$PDFDIR")
rm -rf "$WORK/index-pdf"
run "ingest-pdf-$PDFS" nice -n 10 "$BIN" ingest "$PDFDIR" --index "$WORK/index-pdf" -j "$JOBS"
PDF_SECS=$SECS
PDF_RSS="$RSS_MB MB (own $ANON_MB"
if command -v pdftotext >/dev/null 2>&1; then
  run "pdftotext-$PDFS" nice -n 10 sh -c \
    "find '$PDFDIR' -name '*.pdf' -print0 | xargs -0 -P '$JOBS' -I{} pdftotext -q {} /dev/null"
  row "PDF ingest, $PDFS PDFs ($(mb "$PDF_BYTES") MB), -j $JOBS" \
    "${PDF_SECS} s, $(rate "$PDFS" "$PDF_SECS") docs/s; peak RSS $PDF_RSS MB)" \
    "pdftotext, xargs -P $JOBS: ${SECS} s" "$(ratio "$PDF_SECS" "$SECS")×" "≤ 1.3×"
else
  row "PDF ingest, $PDFS PDFs, -j $JOBS" "${PDF_SECS} s; peak RSS $PDF_RSS MB)" "pdftotext not installed" "" "≤ 1.3×"
fi

# 4b. The Word and browser renderings of the real agreements (fixtures/real, 16 PDFs), each
# ten times over (copies under other names, all read: the index is new), beside pdftotext over
# the same files.
REALDIR="$WORK/real-pdf"
rm -rf "$REALDIR" "$WORK/index-real"
mkdir -p "$REALDIR"
for k in 0 1 2 3 4 5 6 7 8 9; do
  for f in fixtures/real/word/*.pdf fixtures/real/browser/*.pdf; do
    cp "$f" "$REALDIR/$k-$(basename "$(dirname "$f")")-$(basename "$f")"
  done
done
REAL_N=$(find "$REALDIR" -name '*.pdf' | wc -l)
run "ingest-real" nice -n 10 "$BIN" ingest "$REALDIR" --index "$WORK/index-real" -j "$JOBS" --ocr never
REAL_SECS=$SECS
if command -v pdftotext >/dev/null 2>&1; then
  run "pdftotext-real" nice -n 10 sh -c \
    "find '$REALDIR' -name '*.pdf' -print0 | xargs -0 -P '$JOBS' -I{} pdftotext -q {} /dev/null"
  row "PDF ingest, Word and browser PDFs of the real agreements ($REAL_N), -j $JOBS" \
    "${REAL_SECS} s, $(rate "$REAL_N" "$REAL_SECS") docs/s" \
    "pdftotext, xargs -P $JOBS: ${SECS} s" "$(ratio "$REAL_SECS" "$SECS")×" "≤ 1.3×"
fi

# 5. Scaling with the number of documents.
FIRST_RATE=""
for n in $SCALE; do
  if [ "$n" = "$DOCS" ]; then
    # The first run, reused.
    SECS=$INGEST_SECS RSS_MB=$INGEST_RSS ANON_MB=$INGEST_ANON INDEX_MB=$INGEST_INDEX_MB
  else
    ingest "$n" "$JOBS"
  fi
  r=$(rate "$n" "$SECS")
  [ -n "$FIRST_RATE" ] || FIRST_RATE=$r
  row "scaling: $n agreements, -j $JOBS" "$r docs/s, ${SECS} s; peak RSS $RSS_MB MB (own $ANON_MB MB); index $INDEX_MB MB" \
    "docs/s vs the smallest run" "$(ratio "$r" "$FIRST_RATE")" "≈ 1 (linear), RSS flat, ≤ 500 MB"
  [ "$n" = "$DOCS" ] || rm -rf "$WORK/index-$n-j$JOBS"
done

# 6. Search on the main index beside rg over the same text (benches/search.rs).
say "search (cargo bench --bench search)"
SEARCH=$(AFTALE_BENCH_INDEX="$MAIN_INDEX" AFTALE_BENCH_CORPUS="$MAIN/txt" AFTALE_BENCH_DOCS="$DOCS" \
  AFTALE_BENCH_TABLE_ONLY=1 nice -n 10 cargo bench --locked --bench search 2>/dev/null | grep '^| `' || true)
# A duration as printed by Rust (`812.5µs`, `1.24ms`, `2.1s`) in milliseconds.
ms() { awk -v d="$1" 'BEGIN {
  if (d ~ /µs$/) { sub(/µs$/, "", d); print d / 1000 }
  else if (d ~ /ns$/) { sub(/ns$/, "", d); print d / 1e6 }
  else if (d ~ /ms$/) { sub(/ms$/, "", d); print d + 0 }
  else if (d ~ /s$/) { sub(/s$/, "", d); print d * 1000 }
  else print "" }'; }
while IFS='|' read -r _ query kind hits p50 p99 rg _; do
  [ -n "$query" ] || continue
  kind=${kind// /} hits=${hits// /} p50=${p50// /} p99=${p99// /} rg=${rg// /}
  query=${query# } query=${query% }
  r=""
  if [ -n "$(ms "$rg")" ] && [ -n "$(ms "$p99")" ]; then r="rg / p99: $(ratio "$(ms "$rg")" "$(ms "$p99")")×"; fi
  row "search ($kind) $query, $DOCS agreements, $hits hits" "p50 $p50, p99 $p99" \
    "rg -i -c -j 2 over the text, same words: $rg" "$r" "p99 ≤ 20 ms, far below rg"
done <<<"$SEARCH"

echo "| measurement | aftale | baseline | ratio | target |"
echo "|---|---|---|---|---|"
printf '%s\n' "${ROWS[@]}"
echo
echo "Machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GB", $2 / 1048576 }' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); $(uname -sr); load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)."
