//! The floor of indexing: tantivy alone indexing the same texts `aftale ingest` reads, with the
//! same analyzer, writer memory and commit interval, and none of the reading, repair or
//! extraction. `benches/e2e.sh` sets ingest throughput beside it (`aftale-bench index-floor`;
//! issue 9: text ingest should reach half of it).
//!
//! Each file is split into paragraphs at blank lines (a cheap stand-in for clauses); every
//! paragraph is one entry, its text indexed with positions and stored; every file is one more
//! entry holding the whole text (what the stored record costs `ingest`).

use std::path::Path;
use std::time::Instant;

use tantivy::schema::{IndexRecordOption, Schema, TextFieldIndexing, TextOptions, STORED, STRING};
use tantivy::{Index, TantivyDocument};

use aftale::error::{Error, Result};
use aftale::index::{danish_analyzer, WRITER_MEMORY};
use aftale::ingest::{Input, COMMIT_EVERY};
use aftale::record::SourceFormat;
use aftale::source::FileKind;

/// The name the analyzer is registered under in the floor's own index (any name will do: the
/// analyzer is `aftale`'s own, [`danish_analyzer`]).
const DANISH_ANALYZER: &str = "aftale_da";

/// What one floor run did.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct FloorStats {
    pub files: usize,
    pub bytes: u64,
    pub paragraphs: usize,
    pub seconds: f64,
}

/// Index the text files among `inputs` into a new tantivy index in `dir` (which must not exist).
pub fn index_floor(inputs: &[Input], dir: &Path) -> Result<FloorStats> {
    let started = Instant::now();
    if dir.exists() {
        return Err(Error::Usage(format!("{} exists already", dir.display())));
    }
    std::fs::create_dir_all(dir)?;
    let text = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(DANISH_ANALYZER)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    let mut b = Schema::builder();
    let path_field = b.add_text_field("path", STRING | STORED);
    let body = b.add_text_field("body", text);
    let body_text = b.add_text_field("body_text", STORED);
    let whole = b.add_text_field("record", STORED);
    let index = Index::create_in_dir(dir, b.build())?;
    index
        .tokenizers()
        .register(DANISH_ANALYZER, danish_analyzer());
    let mut writer: tantivy::IndexWriter = index.writer(WRITER_MEMORY)?;
    let mut stats = FloorStats::default();
    for input in inputs {
        if input.kind != Ok(FileKind::Document(SourceFormat::Text)) {
            continue;
        }
        let bytes = std::fs::read(&input.path)?;
        stats.files += 1;
        stats.bytes += bytes.len() as u64;
        let content = String::from_utf8_lossy(&bytes);
        let path = input.path.display().to_string();
        for paragraph in content.split("\n\n").filter(|p| !p.trim().is_empty()) {
            let mut doc = TantivyDocument::default();
            doc.add_text(path_field, &path);
            doc.add_text(body, paragraph);
            doc.add_text(body_text, paragraph);
            writer.add_document(doc)?;
            stats.paragraphs += 1;
        }
        let mut doc = TantivyDocument::default();
        doc.add_text(path_field, &path);
        doc.add_text(whole, content.as_ref());
        writer.add_document(doc)?;
        if stats.files % COMMIT_EVERY == 0 {
            writer.commit()?;
        }
    }
    writer.commit()?;
    writer.wait_merging_threads()?;
    stats.seconds = started.elapsed().as_secs_f64();
    Ok(stats)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indexes_the_paragraphs_of_text_files() {
        let tmp = tempfile::tempdir().expect("temp dir");
        let file = tmp.path().join("a.txt");
        std::fs::write(&file, "1. Formål\n\nførste afsnit\n\n\nandet afsnit").expect("write");
        let inputs = aftale::ingest::collect_inputs(&[file]);
        let stats = index_floor(&inputs, &tmp.path().join("index")).expect("floor");
        assert_eq!((stats.files, stats.paragraphs), (1, 3));
        assert!(index_floor(&inputs, &tmp.path().join("index")).is_err());
    }
}
