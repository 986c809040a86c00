//! Stage 4, extraction: clauses → typed facts (one file per kind of fact).
//!
//! Each extractor is a pure function over the segmented clauses (and, for document metadata,
//! the normalised text), so every fact can say which clause it comes from.

pub mod categories;
pub mod changelog;
pub mod country;
pub mod deadlines;
pub mod identifiers;
pub mod metadata;
pub mod parties;
pub mod references;
pub mod subprocessor_lists;
pub mod subprocessor_tables;
pub mod subprocessors;
pub mod topics;

pub use identifiers::identifiers;
pub use metadata::{agreement_evidence, metadata, Metadata};
pub use subprocessors::subprocessors;
