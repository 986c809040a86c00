//! A fuzzer for the text pipeline that runs on the stable toolchain inside `cargo test`:
//! mutations of the corpus agreements (byte flips, splices of one agreement into another,
//! repeated and deleted spans, inserted clause numbers, OCR debris, invalid UTF-8) go through
//! decoding, normalisation, segmentation, repair and extraction in-process, for a fixed time
//! budget. Any panic fails the test and its input is saved under
//! `target/tmp/fuzz-crashes/` to become a regression fixture in `fixtures/fuzz/`.
//!
//! Budget: `AFTALE_FUZZ_SECS` (default 5 in `cargo test`); e.g. `AFTALE_FUZZ_SECS=600 cargo test
//! --release fuzz -- --nocapture` for a long run. Every file in `fixtures/fuzz/` (earlier
//! findings) is replayed first.

use std::time::{Duration, Instant};

use aftale::pipeline;
use aftale::record::SourceFormat;
use aftale::source::ReadOptions;

use crate::util::{repo, Rng};

const DEBRIS: &[&[u8]] = &[
    b"\n1.\n",
    b"\n14.3.1.Behandling ",
    b" jf. pkt. 9.1 - 9.99 ",
    b"\n\xc2\xa7 7 ",
    b" CVR-nr. 3812O689 ",
    b" senest 48 timer ",
    b"\nBILAG 1 \xe2\x80\x94 ",
    b" \xe2\x98\x92 ",
    b"\x0c",
    b"-\n",
    b"\xff\xfe",
    b"\xc3",
    b"|nstruks 1den ",
    b"\n\n\n\n",
    b"Virksomhed Land Funktion\n",
];

fn mutate(corpus: &[Vec<u8>], rng: &mut Rng) -> Vec<u8> {
    let mut out = corpus[rng.below(corpus.len())].clone();
    for _ in 0..1 + rng.below(8) {
        if out.is_empty() {
            out.extend_from_slice(DEBRIS[rng.below(DEBRIS.len())]);
            continue;
        }
        let at = rng.below(out.len());
        match rng.below(6) {
            0 => out[at] ^= 1 << rng.below(8),
            1 => {
                let other = &corpus[rng.below(corpus.len())];
                let from = rng.below(other.len());
                let len = rng.below(2000).min(other.len() - from);
                out.splice(at..at, other[from..from + len].iter().copied());
            }
            2 => {
                let end = (at + rng.below(3000)).min(out.len());
                out.drain(at..end);
            }
            3 => {
                let end = (at + rng.below(500)).min(out.len());
                let span = out[at..end].to_vec();
                for _ in 0..rng.below(20) {
                    out.splice(at..at, span.iter().copied());
                }
            }
            _ => {
                let d = DEBRIS[rng.below(DEBRIS.len())];
                out.splice(at..at, d.iter().copied());
            }
        }
    }
    out
}

fn run(bytes: &[u8]) -> Result<(), String> {
    std::panic::catch_unwind(|| {
        let _ = pipeline::analyse(
            "fuzz.txt",
            bytes,
            SourceFormat::Text,
            &ReadOptions::default(),
        );
    })
    .map_err(|p| {
        p.downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| p.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "panic".into())
    })
}

#[test]
fn fuzz_the_text_pipeline_for_a_time_budget() {
    // Earlier findings first.
    if let Ok(entries) = std::fs::read_dir(repo("fixtures/fuzz")) {
        for entry in entries.filter_map(Result::ok) {
            let bytes = std::fs::read(entry.path()).expect("read");
            if let Err(e) = run(&bytes) {
                panic!("regression {}: {e}", entry.path().display());
            }
        }
    }
    let corpus: Vec<Vec<u8>> = [
        "000_5dc22579b8fec684",
        "001_a01309c27944fe2b",
        "002_57dfb51f510d3c48",
    ]
    .iter()
    .map(|n| std::fs::read(repo(&format!("corpus/{n}.txt"))).expect("corpus"))
    .collect();
    let budget = Duration::from_secs(
        std::env::var("AFTALE_FUZZ_SECS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(5),
    );
    let seed = std::env::var("AFTALE_FUZZ_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0x00af_7a1e_f022);
    let mut rng = Rng(seed);
    let started = Instant::now();
    let mut runs = 0u64;
    let crashes = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("fuzz-crashes");
    while started.elapsed() < budget {
        let input = mutate(&corpus, &mut rng);
        runs += 1;
        if let Err(e) = run(&input) {
            std::fs::create_dir_all(&crashes).expect("mkdir");
            let path = crashes.join(format!("crash-{seed:x}-{runs}.txt"));
            std::fs::write(&path, &input).expect("write");
            panic!(
                "the pipeline panicked ({e}); input saved to {}",
                path.display()
            );
        }
    }
    eprintln!(
        "fuzz: {runs} mutated agreements in {:.1} s, no panic",
        started.elapsed().as_secs_f64()
    );
}

/// The PDF path: mutated fixture PDFs read through the same child-process reader `aftale`
/// uses, with a short time-out. Every outcome must be a page list or a one-line reason.
#[test]
fn fuzz_the_pdf_reader_for_a_time_budget() {
    use aftale::source::{self, PdfReader};

    let pdfs: Vec<Vec<u8>> = std::fs::read_dir(repo("fixtures/inputs/pdf"))
        .expect("pdf fixtures")
        .filter_map(Result::ok)
        .map(|e| std::fs::read(e.path()).expect("read"))
        .collect();
    let options = ReadOptions {
        pdf_timeout: Duration::from_secs(5),
        pdf_reader: PdfReader::Subprocess {
            program: assert_cmd::cargo::cargo_bin("aftale"),
            args: vec!["pdf-worker".into()],
        },
        ..ReadOptions::default()
    };
    let budget = Duration::from_secs(
        std::env::var("AFTALE_FUZZ_SECS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(5),
    );
    let mut rng = Rng(0x0bad_cafe_d0c5);
    let started = Instant::now();
    let (mut runs, mut read, mut refused) = (0u64, 0u64, 0u64);
    while started.elapsed() < budget {
        let mut bytes = pdfs[rng.below(pdfs.len())].clone();
        for _ in 0..1 + rng.below(10) {
            let at = rng.below(bytes.len());
            match rng.below(3) {
                0 => bytes[at] ^= 1 << rng.below(8),
                1 => bytes.truncate(at.max(16)),
                _ => {
                    let d = DEBRIS[rng.below(DEBRIS.len())];
                    bytes.splice(at..at, d.iter().copied());
                }
            }
        }
        runs += 1;
        match std::panic::catch_unwind(|| source::read(&bytes, SourceFormat::Pdf, &options)) {
            Ok(Ok(_)) => read += 1,
            Ok(Err(reason)) => {
                assert!(!reason.to_string().contains('\n'), "{reason}");
                refused += 1;
            }
            Err(_) => {
                let crashes =
                    std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("fuzz-crashes");
                std::fs::create_dir_all(&crashes).expect("mkdir");
                let path = crashes.join(format!("pdf-crash-{runs}.pdf"));
                std::fs::write(&path, &bytes).expect("write");
                panic!("reading a PDF panicked; input saved to {}", path.display());
            }
        }
    }
    eprintln!("fuzz (pdf): {runs} mutated PDFs, {read} read, {refused} refused with a reason");
}
