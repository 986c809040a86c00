//! PDF reading throughput (MB/s of PDF bytes): the positional reader (`pdf-extract` glyphs and
//! rules through [`aftale::layout`], what `aftale` uses) beside `pdf-extract`'s own
//! `PlainTextOutput` (the reader before issue 15) on the same files in the same run, so the
//! ratio is visible. Files: the committed PDF fixtures (`fixtures/inputs/pdf/*.pdf`,
//! `fixtures/diff/*.pdf`). Both read in this thread, page by page, without the worker process.
//!
//! Run: `cargo bench --bench pdf_reader`. Pages per second = pages ÷ time per iteration; the
//! page count of the set is printed first.

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use aftale::source::pdf::read_pdf_bytes;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

fn fixtures() -> Vec<Vec<u8>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut files = Vec::new();
    for dir in [root.join("inputs/pdf"), root.join("diff")] {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut paths: Vec<_> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
            .collect();
        paths.sort();
        files.extend(paths.iter().filter_map(|p| std::fs::read(p).ok()));
    }
    files
}

/// The reader before issue 15, step for step: `PlainTextOutput` per page, then the image
/// look-up on pages with little text.
fn plain_text(bytes: &[u8]) -> Vec<String> {
    let Ok(doc) = lopdf::Document::load_mem(bytes) else {
        return Vec::new();
    };
    let pages: Vec<(lopdf::ObjectId, String)> = doc
        .get_pages()
        .iter()
        .map(|(&n, &id)| {
            let mut text = String::new();
            let mut out = pdf_extract::PlainTextOutput::new(&mut text);
            let _ = pdf_extract::output_doc_page(&doc, &mut out, n);
            (id, text)
        })
        .collect();
    for (id, text) in &pages {
        if text.trim().len() < aftale::source::pdf::LITTLE_TEXT {
            black_box(doc.get_page_images(*id).map(|v| v.is_empty()).ok());
        }
    }
    pages.into_iter().map(|(_, t)| t).collect()
}

fn readers(c: &mut Criterion) {
    let files = fixtures();
    let bytes: u64 = files.iter().map(|f| f.len() as u64).sum();
    let pages: usize = files.iter().map(|f| plain_text(f).len()).sum();
    eprintln!(
        "pdf_reader: {} files, {pages} pages, {bytes} bytes",
        files.len()
    );
    let mut group = c.benchmark_group("pdf_reader");
    group.throughput(Throughput::Bytes(bytes));
    group.measurement_time(Duration::from_secs(10));
    group.sample_size(20);
    group.bench_function("plain_text_output (old)", |b| {
        b.iter(|| {
            for f in &files {
                black_box(plain_text(f));
            }
        })
    });
    group.bench_function("positional + layout (new)", |b| {
        b.iter(|| {
            for f in &files {
                let _ = black_box(read_pdf_bytes(f));
            }
        })
    });
    group.finish();
}

criterion_group!(benches, readers);
criterion_main!(benches);
