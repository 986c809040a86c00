//! Query latency over a generated corpus of agreements, beside `rg` scanning the same text.
//!
//! Run: `cargo bench --bench search` (10,000 agreements; `AFTALE_BENCH_DOCS=2000` for fewer;
//! `AFTALE_BENCH_INDEX=DIR AFTALE_BENCH_CORPUS=DIR` to search an existing index instead).
//! The corpus and its index are built once under `target/aftale-bench/` and reused. The corpus
//! is the shared deterministic one of [`aftale_bench`] (seed 1): agreements assembled
//! from the shipped corpus's sections with vendors, CVR numbers, deadlines, sub-processor
//! tables and versions varied, a fifth of them OCR-damaged by `aftale_bench::damage`.
//!
//! Besides criterion's own timing, it prints one markdown table: p50 and p99 of each query kind
//! (word, phrase, fuzzy, filtered) over repeated runs, and `rg` over the corpus text for the same
//! words; plus index size per agreement and indexing throughput.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use aftale::index::IndexStore;
use aftale::ingest::{self, IngestOptions};
use aftale::search::{self, SearchOptions};
use aftale_bench::Spec;
use criterion::{criterion_group, criterion_main, Criterion};

const QUERIES: &[(&str, &str)] = &[
    ("word", "tavshedspligt"),
    ("words", "underretning om sikkerhedsbrud"),
    ("phrase", "\"uden unødig forsinkelse\""),
    ("fuzzy", "sikkerhedsbrudd"),
    ("filtered", "sletning topic:deletion_return"),
];

fn documents() -> usize {
    std::env::var("AFTALE_BENCH_DOCS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000)
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("target/aftale-bench")
}

/// Write the corpus (once, with the shared generator, seed 1); returns its folder of text
/// files and their size in bytes.
fn generate(n: usize) -> (PathBuf, u64) {
    let dir = root().join(format!("gen-corpus-{n}"));
    let done = dir.join(".complete");
    if !done.exists() {
        let _ = std::fs::remove_dir_all(&dir);
        let spec = Spec {
            docs: n,
            pdfs: 0,
            seed: 1,
        };
        aftale_bench::write(&spec, &dir).expect("write corpus");
        std::fs::write(&done, "").expect("marker");
    }
    let txt = dir.join("txt");
    let bytes = std::fs::read_dir(&txt)
        .expect("dir")
        .filter_map(Result::ok)
        .filter_map(|e| e.metadata().ok())
        .map(|m| m.len())
        .sum();
    (txt, bytes)
}

/// Ingest the corpus (once); returns the index and the seconds ingesting took (0 when reused).
fn index(n: usize, corpus: &Path) -> (IndexStore, f64) {
    let dir = root().join(format!("gen-index-{n}"));
    let done = dir.join(".complete");
    let mut seconds = 0.0;
    if !done.exists() {
        let _ = std::fs::remove_dir_all(&dir);
        let store = IndexStore::open_or_create(&dir).expect("index");
        let started = Instant::now();
        let inputs = ingest::collect_inputs(&[corpus.to_path_buf()]);
        ingest::ingest(&store, inputs, &IngestOptions::default(), |_| {}).expect("ingest");
        seconds = started.elapsed().as_secs_f64();
        std::fs::write(dir.join("ingest-seconds"), seconds.to_string()).expect("write");
        std::fs::write(&done, "").expect("marker");
    } else if let Ok(s) = std::fs::read_to_string(dir.join("ingest-seconds")) {
        seconds = s.trim().parse().unwrap_or(0.0);
    }
    (IndexStore::open(&dir).expect("open index"), seconds)
}

fn folder_size(dir: &Path) -> u64 {
    walk(dir)
        .iter()
        .filter_map(|p| p.metadata().ok())
        .map(|m| m.len())
        .sum()
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.filter_map(Result::ok) {
            let p = e.path();
            if p.is_dir() {
                out.extend(walk(&p));
            } else {
                out.push(p);
            }
        }
    }
    out
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

/// `rg` counting the same words over the corpus text, with the same parallelism.
fn rg_time(corpus: &Path, query: &str) -> Option<Duration> {
    let words: Vec<&str> = query
        .split_whitespace()
        .filter(|w| !w.contains(':') && !w.starts_with('-'))
        .map(|w| w.trim_matches('"'))
        .collect();
    let pattern = words.join("|");
    let started = Instant::now();
    let status = std::process::Command::new("rg")
        .args(["-i", "-c", "-j", "2", &pattern])
        .arg(corpus)
        .stdout(std::process::Stdio::null())
        .status()
        .ok()?;
    status.code().filter(|c| *c <= 1).map(|_| started.elapsed())
}

/// An index and corpus made elsewhere (`benches/e2e.sh` passes the ones its `aftale ingest`
/// wrote): `AFTALE_BENCH_INDEX` and `AFTALE_BENCH_CORPUS`.
fn given() -> Option<(PathBuf, PathBuf)> {
    let index = std::env::var_os("AFTALE_BENCH_INDEX")?;
    let corpus = std::env::var_os("AFTALE_BENCH_CORPUS")?;
    Some((PathBuf::from(index), PathBuf::from(corpus)))
}

fn bench(c: &mut Criterion) {
    let n = documents();
    let (corpus, bytes, store, ingest_seconds, index_dir) = match given() {
        Some((index_dir, corpus)) => {
            let bytes = folder_size(&corpus);
            let store = IndexStore::open(&index_dir).expect("open index");
            (corpus, bytes, store, 0.0, index_dir)
        }
        None => {
            let (corpus, bytes) = generate(n);
            let (store, seconds) = index(n, &corpus);
            (
                corpus,
                bytes,
                store,
                seconds,
                root().join(format!("gen-index-{n}")),
            )
        }
    };
    let options = SearchOptions::default();
    // `AFTALE_BENCH_TABLE_ONLY=1`: only the table below (the end-to-end script wants no more).
    if std::env::var_os("AFTALE_BENCH_TABLE_ONLY").is_none() {
        let mut group = c.benchmark_group(format!("search {n} agreements"));
        for (kind, query) in QUERIES {
            group.bench_function(*kind, |b| {
                b.iter(|| search::search(&store, query, &options).map(|h| h.len()))
            });
        }
        group.finish();
    }

    println!("\n| query | kind | hits | p50 | p99 | rg (same words) |");
    println!("|---|---|---|---|---|---|");
    for (kind, query) in QUERIES {
        let mut times = Vec::with_capacity(200);
        let mut hits = 0;
        for _ in 0..200 {
            let started = Instant::now();
            hits = search::search(&store, query, &options)
                .map(|h| h.len())
                .unwrap_or(0);
            times.push(started.elapsed());
        }
        times.sort();
        let rg =
            rg_time(&corpus, query).map_or("rg not installed".to_string(), |d| format!("{d:.1?}"));
        println!(
            "| `{query}` | {kind} | {hits} | {:.2?} | {:.2?} | {rg} |",
            percentile(&times, 0.5),
            percentile(&times, 0.99)
        );
    }
    let index_bytes = folder_size(&index_dir);
    println!(
        "\n{n} agreements, {:.0} MB of text; index {:.1} KB per agreement; ingest {} ",
        bytes as f64 / 1e6,
        index_bytes as f64 / n as f64 / 1e3,
        if ingest_seconds > 0.0 {
            format!(
                "{ingest_seconds:.1} s = {:.2} MB/s, {:.0} agreements/s",
                bytes as f64 / 1e6 / ingest_seconds,
                n as f64 / ingest_seconds
            )
        } else {
            "time not recorded".to_string()
        }
    );
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20).measurement_time(Duration::from_secs(5));
    targets = bench
}
criterion_main!(benches);
