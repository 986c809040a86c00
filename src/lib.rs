//! `aftale` turns Danish data processing agreements (databehandleraftaler, GDPR art. 28) into
//! structured, searchable records.
//!
//! The library is the pipeline, one module per stage, each a function from the previous
//! stage's type to the next (the types live in [`record`]):
//!
//! | stage | module | from → to |
//! |---|---|---|
//! | read | [`source`] | file bytes → [`record::RawDocument`] (page texts) |
//! | layout | [`layout`] | page geometry (glyphs, rules, OCR word boxes) → page text |
//! | normalise | [`text`] | page texts → [`record::NormalisedText`] |
//! | repair | [`repair`] | OCR-damaged Danish → readable Danish (per clause) |
//! | language | [`lang`] | text → [`record::Language`] |
//! | tables | [`tables`] | text → [`record::Table`]s (rows of cells) |
//! | segment | [`segment`] | text → [`record::Clause`]s |
//! | extract | [`extract`] | clauses → identifiers, metadata, … |
//! | assemble | [`pipeline`] | bytes → [`record::Record`] |
//! | store | [`index`] | records ↔ tantivy index |
//! | batch | [`ingest`] | paths → reports and index entries |
//! | data set | [`dataset`] | paths → JSON Lines of records (and back) for other engines |
//! | compare | [`compare`] | two records → [`record::Comparison`] |
//! | review | [`review`] | a record (+ playbook) → [`record::Review`] |
//! | tables | [`export`] | agreements → the register, deadlines and review rows (CSV, JSON) |
//!
//! The `aftale` binary ([`cli`]) and the web app ([`web`]) are thin layers over these. The
//! benchmark corpus generator and the OCR damage model of the tests are not part of the product:
//! they are the workspace crate `aftale-bench` (`crates/aftale-bench`), built on this API.

pub mod analysis;
pub mod cli;
pub mod compare;
pub mod dataset;
pub mod error;
pub mod export;
pub mod extract;
pub mod index;
pub mod ingest;
pub mod interrupt;
pub mod lang;
pub mod layout;
pub mod pipeline;
pub mod record;
pub mod register;
pub mod repair;
pub mod review;
pub mod search;
pub mod segment;
pub mod source;
pub mod tables;
pub mod text;
pub mod web;

pub use error::{DocError, Error, Result};
pub use record::Record;
