//! `aftale diff` speed: comparing two versions of a 100-clause agreement (target: under 50 ms),
//! beside a plain line diff of the same two texts (`similar`, the floor of any text comparison)
//! measured in the same run.
//!
//! Run: `cargo bench --bench compare`. The two versions are built from `corpus/002_…` (85
//! clauses) with a section of fifteen clauses appended, then edited as a vendor would: a clause inserted
//! early (renumbering the rest of its section), one deleted, three reworded, a deadline
//! changed, a sub-processor added. Besides criterion's report it prints one line with the
//! mean times and their ratio.

use std::hint::black_box;
use std::time::Instant;

use aftale::compare::{compare, render, CompareOptions};
use aftale::pipeline;
use aftale::record::{Record, SourceFormat};
use aftale::source::ReadOptions;
use criterion::{criterion_group, criterion_main, Criterion};

const SEED: &str = include_str!("../corpus/002_57dfb51f510d3c48.txt");

/// Version 1: the ITJ agreement with a section 18 of fifteen clauses, 100 clauses in all.
fn version_one() -> String {
    let mut text = SEED.to_string();
    text.push_str("\n\n18. Øvrige bestemmelser\n\n");
    for k in 1..=15 {
        text.push_str(&format!(
            "18.{k}. Databehandleren skal ved ændring nr. {k} af sine systemer vurdere, om \
             ændringen påvirker sikkerheden for personoplysningerne, og underrette den \
             Dataansvarlige senest {} dage efter ændringen.\n\n",
            k + 10
        ));
    }
    text
}

/// Version 2: version 1 edited.
fn version_two(v1: &str) -> String {
    let mut lines: Vec<String> = Vec::new();
    for line in v1.lines() {
        let number = line.split(". ").next().unwrap_or("");
        match number {
            "13.7" => continue,
            "5.4" => lines.push(
                "5.4. Databehandleren må ikke anvende personoplysninger til egne formål.\n".into(),
            ),
            _ => {}
        }
        let renumbered = match number {
            "5.4" | "5.5" | "5.6" => {
                let minor: u32 = number[2..].parse().unwrap_or(0);
                format!("5.{}.{}", minor + 1, &line[number.len() + 1..])
            }
            "11.2" => line.replace("uden unødig forsinkelse", "senest 48 timer"),
            "12.2" | "18.3" | "18.9" => line.replace("skal", "skal altid"),
            _ => line.to_string(),
        };
        lines.push(renumbered);
        if line.starts_with("UnoEuro Danmark A/S") {
            lines.push("Amazon Web Services, Inc. USA Hosting".into());
        }
    }
    lines.join("\n")
}

fn record(name: &str, text: &str) -> Record {
    pipeline::analyse(
        name,
        text.as_bytes(),
        SourceFormat::Text,
        &ReadOptions::default(),
    )
    .expect("the bench agreements are valid")
}

fn bench(c: &mut Criterion) {
    let v1 = version_one();
    let v2 = version_two(&v1);
    let (old, new) = (record("v1.txt", &v1), record("v2.txt", &v2));
    let clauses = old.clauses.iter().filter(|c| c.number.is_some()).count();
    assert!(clauses >= 100, "version 1 has {clauses} numbered clauses");
    let strict = CompareOptions::default();
    let ocr = CompareOptions { ignore_ocr: true };

    let mut group = c.benchmark_group("compare 100 clauses");
    group.bench_function("baseline: line diff of the texts", |b| {
        b.iter(|| {
            similar::TextDiff::from_lines(black_box(&v1), black_box(&v2))
                .ops()
                .len()
        })
    });
    group.bench_function("compare", |b| {
        b.iter(|| {
            compare(black_box(&old), black_box(&new), strict)
                .changes
                .len()
        })
    });
    group.bench_function("compare --ignore-ocr", |b| {
        b.iter(|| compare(black_box(&old), black_box(&new), ocr).changes.len())
    });
    group.bench_function("compare + text report", |b| {
        b.iter(|| render::text(&compare(black_box(&old), black_box(&new), strict), false).len())
    });
    group.finish();

    // One summary line: mean of repeated runs, and the ratio to the baseline.
    let mean = |f: &dyn Fn() -> usize| {
        let runs = 200;
        let start = Instant::now();
        for _ in 0..runs {
            black_box(f());
        }
        start.elapsed().as_secs_f64() * 1000.0 / runs as f64
    };
    let baseline = mean(&|| similar::TextDiff::from_lines(&v1, &v2).ops().len());
    let ours = mean(&|| compare(&old, &new, strict).changes.len());
    let ours_ocr = mean(&|| compare(&old, &new, ocr).changes.len());
    println!(
        "\n| {clauses} clauses | line diff (baseline) | compare | compare --ignore-ocr |\n\
         |---|---|---|---|\n\
         | mean ms | {baseline:.3} | {ours:.3} ({:.1}× baseline) | {ours_ocr:.3} ({:.1}× baseline) |\n",
        ours / baseline,
        ours_ocr / baseline
    );
}

criterion_group!(benches, bench);
criterion_main!(benches);
