//! `aftale export --format opensearch-bulk|clauses-jsonl|csv [--all-versions]`: every clause of
//! the index as a flat document for a search cluster or a spreadsheet (see [`crate::export::bulk`]
//! for the fields and what the ids mean); `--format jsonl`: the records themselves as the data set
//! `extract --jsonl` writes ([`crate::dataset`]), which `index --from-jsonl` reads back.

use super::{agreements_count, say_empty, CsvArgs, IndexArgs, Out, EXIT_OK};
use crate::error::Error;
use crate::export::bulk::{self, Exported, Mode};
use crate::index::IndexStore;
use crate::record::Record;

#[derive(Debug, clap::Args)]
#[command(
    after_help = "One document per clause (clauses without text are left out), with the \
    agreement's fields beside the clause's. The id of a clause is stable: the same index exported \
    twice gives the same bytes. Without --all-versions the id leaves the version out, so loading a \
    newer export updates the same documents; a clause a newer version no longer has stays in the \
    cluster until deleted by its doc_key (see scale/opensearch/README.md). With --all-versions \
    every version's clauses are documents of their own (`current` marks the one answers come \
    from), retired documents included.\n\n\
    --format jsonl writes records, not clauses: one line per document (per version with \
    --all-versions, oldest first) in the format of `aftale extract --jsonl`, so that `aftale index \
    --from-jsonl` rebuilds the index elsewhere, history included.\n\n\
    Examples:\n  \
    aftale export --format opensearch-bulk > clauses.ndjson\n  \
    curl -H 'Content-Type: application/x-ndjson' -XPOST localhost:9200/_bulk --data-binary @clauses.ndjson\n  \
    aftale export --format jsonl --all-versions > history.jsonl\n  \
    aftale export --format clauses-jsonl > clauses.jsonl\n  \
    aftale export --format csv --csv-sep ';' > clauses.csv"
)]
pub(super) struct Args {
    #[command(flatten)]
    index: IndexArgs,
    /// What to write: an OpenSearch/Elasticsearch `_bulk` body of clauses, the records as JSON
    /// Lines (as `extract --jsonl`), the clauses as JSON Lines, or the clauses as CSV
    #[arg(long, value_enum, value_name = "FORMAT", default_value_t = Format::OpensearchBulk)]
    format: Format,
    /// The index the bulk body's actions name (default `aftale-clauses`)
    #[arg(long, value_name = "NAME")]
    index_name: Option<String>,
    /// Every version of every document (retired ones too), not only the current ones; ids
    /// include the version number
    #[arg(long)]
    all_versions: bool,
    /// With --format csv: the field separator, one ASCII character (`;` for a spreadsheet set up
    /// for Danish; default `,`)
    #[arg(long, value_name = "CHAR", value_parser = super::csv_separator)]
    csv_sep: Option<u8>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    OpensearchBulk,
    Jsonl,
    ClausesJsonl,
    Csv,
}

pub(super) fn run(args: Args) -> Result<i32, Error> {
    // An option the format does not use is a mistake to say, not to ignore.
    if args.index_name.is_some() && args.format != Format::OpensearchBulk {
        return Err(Error::Usage(
            "--index-name names the index of an opensearch-bulk body; this format has none".into(),
        ));
    }
    if args.csv_sep.is_some() && args.format != Format::Csv {
        return Err(Error::Usage("--csv-sep is for --format csv".into()));
    }
    let store = IndexStore::open(&args.index.index)?;
    // The records first (document, version, record), then the views of them the export reads.
    let mut documents = Vec::new();
    let mut read: Vec<(usize, usize, Record)> = Vec::new();
    let mode = if args.all_versions {
        documents = store.stored_documents()?;
        for (d, document) in documents.iter().enumerate() {
            for (v, version) in document.versions.iter().enumerate() {
                match store.record(&version.id)? {
                    Some(record) => read.push((d, v, record)),
                    None => eprintln!(
                        "aftale: {} version {}: no record in the index (re-import the file)",
                        document.path, version.version
                    ),
                }
            }
        }
        Mode::AllVersions
    } else {
        // `agreements()` has read the current records already.
        for (d, a) in store.agreements()?.into_iter().enumerate() {
            let v = a.document.versions.len().saturating_sub(1);
            documents.push(a.document);
            read.push((d, v, a.record));
        }
        Mode::Latest
    };
    let exported: Vec<Exported> = read
        .iter()
        .filter_map(|(d, v, record)| {
            let document = documents.get(*d)?;
            Some(Exported {
                document,
                version: document.versions.get(*v)?,
                record,
            })
        })
        .collect();
    let mut out = Out::new();
    if args.format == Format::Jsonl {
        if exported.is_empty() {
            let message = format!("no records to export in {}", agreements_count(0));
            say_empty(&mut out, true, &message)?;
            return Ok(EXIT_OK);
        }
        let playbook = crate::review::playbook::Playbook::default_playbook();
        for e in &exported {
            let line = crate::dataset::ok_line(
                &e.document.path,
                &e.document.location,
                e.record,
                &playbook,
            );
            out.raw_line(&line)?;
        }
        out.flush()?;
        return Ok(EXIT_OK);
    }
    let docs = bulk::clause_documents(&exported, mode);
    if docs.is_empty() {
        let message = format!(
            "no clauses to export in {}",
            agreements_count(documents.len())
        );
        say_empty(&mut out, true, &message)?;
        return Ok(EXIT_OK);
    }
    match args.format {
        Format::OpensearchBulk => bulk::write_bulk(
            &mut out.inner,
            &docs,
            args.index_name
                .as_deref()
                .unwrap_or(bulk::DEFAULT_INDEX_NAME),
        )?,
        // Records, not clauses: written above.
        Format::Jsonl => {}
        Format::ClausesJsonl => bulk::write_jsonl(&mut out.inner, &docs)?,
        Format::Csv => out.csv_table(
            &CsvArgs {
                csv: true,
                csv_sep: args.csv_sep.unwrap_or(b','),
            },
            bulk::CSV_HEADER,
            docs.iter().map(bulk::csv_row),
        )?,
    }
    out.flush()?;
    Ok(EXIT_OK)
}
