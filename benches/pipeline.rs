//! Per-stage throughput (MB/s) over a generated corpus ([`aftale_bench`], seed 1), each
//! beside a baseline measured in the same run: splitting the same bytes into lines, the least
//! any text stage must do.
//!
//! Run: `cargo bench --bench pipeline` (`AFTALE_BENCH_DOCS=N` for another number of agreements
//! than 60; a sixth of them are read as PDFs too). Stages: read (PDF page text; text decoding),
//! normalise, OCR repair, segment, extract (sub-processors, identifiers, deadlines, and all
//! extractors together), index (tantivy, with commit) and query. Each group's throughput is
//! the bytes that stage reads: file bytes for reading, normalised text for the rest.

use std::hint::black_box;
use std::time::Duration;

use aftale::index::IndexStore;
use aftale::record::{Clause, NormalisedText, Record, SourceFormat};
use aftale::repair::Repairer;
use aftale::search::{self, SearchOptions};
use aftale::source::{self, ReadOptions};
use aftale::{extract, pipeline, segment, text};
use aftale_bench::Spec;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

struct Corpus {
    texts: Vec<(String, Vec<u8>)>,
    pdfs: Vec<Vec<u8>>,
}

fn corpus() -> Corpus {
    let docs = std::env::var("AFTALE_BENCH_DOCS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(60);
    let spec = Spec {
        docs,
        pdfs: docs / 6,
        seed: 1,
    };
    let mut corpus = Corpus {
        texts: Vec::new(),
        pdfs: Vec::new(),
    };
    aftale_bench::generate(&spec, |f| {
        if f.path.ends_with(".pdf") {
            corpus.pdfs.push(f.bytes);
        } else {
            corpus.texts.push((f.path, f.bytes));
        }
        Ok::<(), ()>(())
    })
    .expect("in memory");
    corpus
}

fn bytes_of<'a>(items: impl Iterator<Item = &'a [u8]>) -> u64 {
    items.map(|b| b.len() as u64).sum()
}

fn stages(c: &mut Criterion) {
    let corpus = corpus();
    let options = ReadOptions::default();

    // Read: PDF page text, and text decoding (UTF-8 and Windows-1252).
    let mut group = c.benchmark_group("read");
    group.throughput(Throughput::Bytes(bytes_of(
        corpus.pdfs.iter().map(Vec::as_slice),
    )));
    group.bench_function("pdf page text", |b| {
        b.iter(|| {
            corpus
                .pdfs
                .iter()
                .filter_map(|p| source::pdf::read_pdf_bytes(black_box(p)).ok())
                .map(|p| p.pages.len())
                .sum::<usize>()
        })
    });
    group.throughput(Throughput::Bytes(bytes_of(
        corpus.texts.iter().map(|(_, b)| b.as_slice()),
    )));
    group.bench_function("baseline: split lines", |b| {
        b.iter(|| {
            corpus
                .texts
                .iter()
                .map(|(_, t)| black_box(t).split(|&c| c == b'\n').count())
                .sum::<usize>()
        })
    });
    group.bench_function("text decoding", |b| {
        b.iter(|| {
            corpus
                .texts
                .iter()
                .filter_map(|(_, t)| source::text_file::decode(black_box(t)).ok())
                .map(|d| d.text.len())
                .sum::<usize>()
        })
    });
    group.finish();

    let pages: Vec<Vec<String>> = corpus
        .texts
        .iter()
        .filter_map(|(_, b)| source::read(b, SourceFormat::Text, &options).ok())
        .map(|raw| raw.pages)
        .collect();
    let normalised: Vec<NormalisedText> = pages.iter().map(|p| text::normalise(p)).collect();
    let text_bytes: u64 = normalised.iter().map(|n| n.text.len() as u64).sum();
    let clauses: Vec<Vec<Clause>> = normalised.iter().map(segment::segment).collect();
    let records: Vec<Record> = corpus
        .texts
        .iter()
        .filter_map(|(path, b)| pipeline::analyse(path, b, SourceFormat::Text, &options).ok())
        .collect();

    let mut group = c.benchmark_group("text");
    group.throughput(Throughput::Bytes(text_bytes));
    group.bench_function("baseline: split lines", |b| {
        b.iter(|| {
            normalised
                .iter()
                .map(|n| black_box(&n.text).lines().count())
                .sum::<usize>()
        })
    });
    group.bench_function("normalise", |b| {
        b.iter(|| {
            pages
                .iter()
                .map(|p| text::normalise(black_box(p)).text.len())
                .sum::<usize>()
        })
    });
    group.bench_function("OCR repair", |b| {
        b.iter(|| {
            clauses
                .iter()
                .flatten()
                .map(|c| Repairer::danish().repair(black_box(&c.text)).len())
                .sum::<usize>()
        })
    });
    group.bench_function("segment", |b| {
        b.iter(|| {
            normalised
                .iter()
                .map(|n| segment::segment(black_box(n)).len())
                .sum::<usize>()
        })
    });
    group.finish();

    let mut group = c.benchmark_group("extract");
    group.throughput(Throughput::Bytes(text_bytes));
    group.bench_function("sub-processors", |b| {
        b.iter(|| {
            clauses
                .iter()
                .map(|c| extract::subprocessors(black_box(c)).0.len())
                .sum::<usize>()
        })
    });
    group.bench_function("identifiers", |b| {
        b.iter(|| {
            clauses
                .iter()
                .map(|c| extract::identifiers(black_box(c)).len())
                .sum::<usize>()
        })
    });
    group.bench_function("deadlines", |b| {
        b.iter(|| {
            clauses
                .iter()
                .map(|c| extract::deadlines::deadlines(black_box(c)).len())
                .sum::<usize>()
        })
    });
    group.bench_function("whole document (read → record)", |b| {
        b.iter(|| {
            corpus
                .texts
                .iter()
                .filter_map(|(path, bytes)| {
                    pipeline::analyse(path, black_box(bytes), SourceFormat::Text, &options).ok()
                })
                .count()
        })
    });
    group.finish();

    let mut group = c.benchmark_group("index");
    group.throughput(Throughput::Bytes(text_bytes));
    group.sample_size(10);
    group.bench_function("add and commit", |b| {
        b.iter(|| {
            let dir = tempfile::tempdir().expect("temp dir");
            let store = IndexStore::open_or_create(dir.path()).expect("index");
            let mut writer = store.writer().expect("writer");
            for (i, record) in records.iter().enumerate() {
                store
                    .add(&writer, &i.to_string(), 1, 0, black_box(record))
                    .expect("add");
            }
            writer.commit().expect("commit");
        })
    });
    group.finish();

    let dir = tempfile::tempdir().expect("temp dir");
    let store = IndexStore::open_or_create(dir.path()).expect("index");
    {
        let mut writer = store.writer().expect("writer");
        for (i, record) in records.iter().enumerate() {
            store
                .add(&writer, &i.to_string(), 1, 0, record)
                .expect("add");
        }
        writer.commit().expect("commit");
    }
    let store = IndexStore::open(dir.path()).expect("index");
    let search_options = SearchOptions::default();
    let mut group = c.benchmark_group("query");
    // Bytes of agreement text searched per query.
    group.throughput(Throughput::Bytes(text_bytes));
    for (kind, query) in [
        ("word", "tavshedspligt"),
        ("phrase", "\"uden unødig forsinkelse\""),
        ("fuzzy", "sikkerhedsbrudd"),
        ("filtered", "sletning topic:deletion_return"),
    ] {
        group.bench_function(kind, |b| {
            b.iter(|| search::search(&store, black_box(query), &search_options).map(|h| h.len()))
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10).measurement_time(Duration::from_secs(3));
    targets = stages
}
criterion_main!(benches);
