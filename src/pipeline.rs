//! One document through every stage: bytes → [`RawDocument`] → [`NormalisedText`] → clauses →
//! facts → [`Record`]. Pure apart from the PDF reader (which may run in a child process); the
//! batch logic that calls this lives in [`crate::ingest`].

use crate::error::{contain, DocError};
use crate::extract;
use crate::lang;
use crate::record::{
    Clause, Identifier, RawDocument, Record, Repaired, Source, SourceFormat, SCHEMA_VERSION,
};
use crate::repair::{RepairCache, Repairer};
use crate::segment;
use crate::source::{self, ReadOptions};
use crate::tables;
use crate::text;

/// The id of a document: blake3 of its bytes, hex. Same bytes, same id, wherever they lie.
pub fn content_id(bytes: &[u8]) -> String {
    blake3::hash(bytes).to_hex().to_string()
}

/// Read and analyse one document held in memory. `path` is only recorded, not opened.
pub fn analyse(
    path: &str,
    bytes: &[u8],
    format: SourceFormat,
    options: &ReadOptions,
) -> Result<Record, DocError> {
    let raw = source::read(bytes, format, options)?;
    record_from_raw(path, content_id(bytes), raw)
}

/// [`analyse`], with a panic anywhere in the pipeline turned into this document's error, so
/// that a bug met by one odd document cannot end a batch.
pub fn analyse_contained(
    path: &str,
    bytes: &[u8],
    format: SourceFormat,
    options: &ReadOptions,
) -> Result<Record, DocError> {
    contain(|| analyse(path, bytes, format, options))
        .unwrap_or_else(|msg| Err(DocError::Internal(msg)))
}

/// OCR repair of each clause, learning the document's own words with æ, ø or å first (OCR that
/// printed them got those words right). The printed wording stays; the repaired reading is kept
/// beside it only where it differs.
fn repair_clauses(clauses: &mut [Clause]) {
    let own_words: Vec<&str> = clauses
        .iter()
        .flat_map(|c| {
            c.heading
                .iter()
                .map(String::as_str)
                .chain(std::iter::once(c.text.as_str()))
        })
        .flat_map(|t| t.split(|ch: char| !ch.is_alphabetic()))
        .filter(|w| w.contains(['æ', 'ø', 'å', 'Æ', 'Ø', 'Å']))
        .collect();
    let repairer = Repairer::danish().with_words(own_words);
    let mut cache = RepairCache::default();
    for clause in clauses.iter_mut() {
        let heading = clause
            .heading
            .as_deref()
            .map(|h| repairer.repair_cached(h, &mut cache));
        let text = repairer.repair_cached(&clause.text, &mut cache);
        if heading != clause.heading || text != clause.text {
            clause.repaired = Some(Repaired { heading, text });
        }
    }
}

/// Everything after reading: normalise, detect the language, segment and extract.
pub fn record_from_raw(path: &str, id: String, raw: RawDocument) -> Result<Record, DocError> {
    let normalised = text::normalise(&raw.pages);
    if normalised.text.trim().is_empty() {
        return Err(DocError::NoText);
    }
    extract::agreement_evidence(&normalised.text).map_err(DocError::NotAgreement)?;
    let language = lang::detect(&normalised.text);
    let quality = source::ocr::quality(&raw.page_sources);
    let mut warnings = raw.warnings;
    if language.code != "da" {
        warnings.push(format!(
            "language is {} (confidence {:.2}), not Danish: Danish-specific extraction may miss facts",
            language.code, language.confidence
        ));
    }
    let mut tables = tables::tables(&normalised);
    let (mut clauses, spans): (Vec<Clause>, Vec<_>) =
        segment::segment_around_tables(&normalised, &tables::table_lines(&tables))
            .into_iter()
            .unzip();
    tables::assign_clauses(&mut tables, &normalised, &clauses, &spans);
    if language.code == "da" {
        repair_clauses(&mut clauses);
    }
    if !clauses.iter().any(|c| c.number.is_some()) {
        warnings.push("no numbered clauses found".to_string());
    }
    extract::topics::tag(&mut clauses);
    let references = extract::references::references(&clauses);
    let meta = extract::metadata(&normalised.text);
    let parties = extract::parties::parties(&clauses, meta.title.as_deref());
    let deadlines = extract::deadlines::deadlines(&clauses);
    let changelog = extract::changelog::changelog(&clauses, &normalised.text);
    let (data_categories, data_subjects) = extract::categories::categories(&clauses);
    let mut identifiers = extract::identifiers(&clauses);
    let found =
        extract::subprocessors::subprocessors_with_tables(&clauses, &tables, &normalised.text);
    let (subprocessors, subprocessor_source) = (found.rows, found.source);
    warnings.extend(found.warnings);
    // The numbers in sub-processor lists are company identifiers of the document too.
    for row in &subprocessors {
        let Some(id) = &row.identifier else { continue };
        if !identifiers
            .iter()
            .any(|i| i.value == id.value && i.clause == row.clause)
        {
            identifiers.push(Identifier {
                kind: id.kind,
                value: id.value.clone(),
                valid: id.valid,
                clause: row.clause.clone(),
                context: row.name.clone(),
            });
        }
    }
    Ok(Record {
        schema: SCHEMA_VERSION,
        id,
        source: Source {
            path: path.to_string(),
            format: raw.format,
            pages: raw.pages.len() as u32,
            bytes: raw.bytes,
            encoding: raw.encoding,
        },
        language,
        vendor: extract::metadata::vendor(&parties),
        parties,
        title: meta.title,
        // The change log knows the latest version better than a header line.
        version: extract::changelog::latest_version(&changelog).or(meta.version),
        date: meta.date,
        clauses,
        subprocessors,
        subprocessor_source,
        identifiers,
        deadlines,
        changelog,
        references,
        data_categories,
        data_subjects,
        tables,
        warnings,
        pages: raw.page_sources,
        quality: Some(quality),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_bytes_same_id() {
        assert_eq!(content_id(b"abc"), content_id(b"abc"));
        assert_ne!(content_id(b"abc"), content_id(b"abd"));
        assert_eq!(content_id(b"abc").len(), 64);
    }

    #[test]
    fn a_small_danish_agreement_becomes_a_record() {
        let text = "Databehandleraftale\nVersion: 2.1\n\n1. Indledning\n\n1.1. Databehandleren behandler personoplysninger \
                    på vegne af den dataansvarlige, CVR-nr. 38120689.\n\n2. Sikkerhed\n\n2.1. Databehandleren skal efter \
                    aftale med den dataansvarlige sikre, at oplysninger ikke kommer uvedkommende til kendskab.\n";
        let record = analyse(
            "x.txt",
            text.as_bytes(),
            SourceFormat::Text,
            &ReadOptions::default(),
        )
        .unwrap();
        assert_eq!(record.language.code, "da");
        assert_eq!(record.version.as_deref(), Some("2.1"));
        let numbers: Vec<_> = record
            .clauses
            .iter()
            .filter_map(|c| c.number.as_deref())
            .collect();
        assert_eq!(numbers, ["1", "1.1", "2", "2.1"]);
        assert_eq!(record.identifiers.len(), 1);
    }

    #[test]
    fn a_recipe_is_refused() {
        let text =
            "Æblekage\n\nTag 500 g æbler, 200 g sukker og 100 g smør. Bag i 40 minutter ved 180 grader.";
        let err = analyse(
            "x.txt",
            text.as_bytes(),
            SourceFormat::Text,
            &ReadOptions::default(),
        )
        .unwrap_err();
        assert!(matches!(err, DocError::NotAgreement(_)));
    }
}
