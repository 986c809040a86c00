//! Per-stage throughput over the shipped corpus (MB/s), each beside a baseline measured in the
//! same run: splitting the same bytes into lines, the least any text stage must do.
//!
//! Run: `cargo bench --bench pipeline`.

use std::hint::black_box;

use aftale::record::SourceFormat;
use aftale::source::ReadOptions;
use aftale::{pipeline, segment, text};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

fn corpus() -> Vec<(String, Vec<u8>)> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/corpus");
    let mut docs: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .expect("corpus folder")
        .filter_map(Result::ok)
        .map(|e| {
            (
                e.path().display().to_string(),
                std::fs::read(e.path()).expect("read"),
            )
        })
        .collect();
    docs.sort();
    docs
}

fn stages(c: &mut Criterion) {
    let docs = corpus();
    let bytes: u64 = docs.iter().map(|(_, b)| b.len() as u64).sum();
    let pages: Vec<Vec<String>> = docs
        .iter()
        .map(|(_, b)| vec![String::from_utf8_lossy(b).into_owned()])
        .collect();
    let normalised: Vec<_> = pages.iter().map(|p| text::normalise(p)).collect();
    let options = ReadOptions::default();

    let mut group = c.benchmark_group("corpus");
    group.throughput(Throughput::Bytes(bytes));
    group.bench_function("baseline: split lines", |b| {
        b.iter(|| pages.iter().map(|p| p[0].lines().count()).sum::<usize>())
    });
    group.bench_function("normalise", |b| {
        b.iter(|| {
            pages
                .iter()
                .map(|p| text::normalise(black_box(p)).text.len())
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
    group.bench_function("analyse (read → record)", |b| {
        b.iter(|| {
            docs.iter()
                .filter_map(|(path, bytes)| {
                    pipeline::analyse(path, black_box(bytes), SourceFormat::Text, &options).ok()
                })
                .count()
        })
    });
    group.finish();
}

criterion_group!(benches, stages);
criterion_main!(benches);
