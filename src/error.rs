//! Errors, classified by whose fault they are.
//!
//! [`DocError`] is a per-document failure: it becomes that document's one-line reason in the
//! ingest summary and the batch goes on. [`Error`] is for the run as a whole (the index cannot be
//! opened, it is locked, a usage error): those stop the command with exit code 2.

use serde::{Deserialize, Serialize};

/// Why one input could not be read or understood. `Display` is the one-line reason users see.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[serde(tag = "kind", content = "detail", rename_all = "snake_case")]
pub enum DocError {
    #[error("empty file")]
    Empty,
    #[error("file too large ({size_mib} MiB; the limit is {limit_mib} MiB, see --max-file-mb)")]
    TooLarge { size_mib: u64, limit_mib: u64 },
    #[error("cannot read file: {0}")]
    Io(String),
    #[error("not a PDF (the file does not start with %PDF)")]
    NotPdf,
    #[error("encrypted PDF (a password is required to open it)")]
    Encrypted,
    #[error("corrupt PDF: {0}")]
    CorruptPdf(String),
    #[error("no text layer (needs OCR): {0}")]
    NoTextLayer(String),
    #[error("PDF reader crashed: {0}")]
    ReaderPanic(String),
    #[error("PDF reader gave up after the {0} s time-out (see --timeout)")]
    Timeout(u64),
    #[error("PDF reader process failed: {0}")]
    Worker(String),
    #[error("binary data, not text ({0})")]
    Binary(String),
    #[error("no text in file")]
    NoText,
    #[error("not a data processing agreement: {0}")]
    NotAgreement(String),
    #[error("interrupted before it was read to the end")]
    Interrupted,
    #[error("internal error while analysing ({0}); please report it with the file")]
    Internal(String),
}

/// Why a whole command could not run.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("index is locked: another `aftale ingest` is writing to {0} (wait for it to finish)")]
    IndexLocked(String),
    #[error("index at {path} is damaged or unreadable: {reason}")]
    IndexCorrupt { path: String, reason: String },
    #[error("index at {path} was written with schema {found}; this aftale uses schema {expected} (re-ingest into a new index)")]
    IndexSchema {
        path: String,
        found: u32,
        expected: u32,
    },
    #[error("cannot write to the index at {path} (disk full, a file-size limit or no permission?): {reason}; what was committed before is intact, run the import again")]
    IndexWrite { path: String, reason: String },
    #[error("cannot use {path} as the index folder: {reason}")]
    IndexDir { path: String, reason: String },
    #[error("no index at {0} (run `aftale ingest` first)")]
    NoIndex(String),
    #[error("{0}")]
    Usage(String),
    #[error(transparent)]
    Tantivy(#[from] tantivy::TantivyError),
    #[error(transparent)]
    Io(#[from] std::io::Error),
    #[error(transparent)]
    Json(#[from] serde_json::Error),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Run `f`, turning a panic into its message: how third-party parsers and the pipeline are
/// kept from taking a batch down.
pub fn contain<T>(f: impl FnOnce() -> T) -> std::result::Result<T, String> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).map_err(|payload| {
        payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "panic".to_string())
    })
}
