//! Stage 1, reading: a file on disk → [`RawDocument`] (page texts).
//!
//! Decides what a file is (PDF or text, by extension and by its first bytes), refuses what it
//! cannot read with a [`DocError`] that says why, and never lets a third-party parser take the
//! caller down (see [`pdf`]). Assumes nothing about the content: whether it is an agreement is
//! decided later, on the text.

mod child;
pub mod ocr;
pub mod pdf;
mod pool;
pub mod text_file;

use std::path::Path;
use std::time::Duration;

use crate::error::DocError;
use crate::record::{PageSource, RawDocument, SourceFormat};

pub use ocr::{OcrMode, OcrOptions};
pub use pdf::PdfReader;

/// How files are read.
#[derive(Debug, Clone)]
pub struct ReadOptions {
    /// Files larger than this are refused before they are read.
    pub max_bytes: u64,
    /// A PDF whose text takes longer than this is given up.
    pub pdf_timeout: Duration,
    pub pdf_reader: PdfReader,
    /// OCR of PDF pages without a usable text layer (off by default in the library; the
    /// command line's default is `--ocr auto`).
    pub ocr: OcrOptions,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            max_bytes: 100 << 20,
            pdf_timeout: Duration::from_secs(60),
            pdf_reader: PdfReader::InThread,
            ocr: OcrOptions::default(),
        }
    }
}

/// What a file found while walking is, judged by its name (and, without a known extension, by
/// its first bytes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileKind {
    Document(SourceFormat),
    /// Not something `aftale` reads; the string says what it is.
    Unsupported(String),
}

/// Classify a path. `head` is the start of the file where available (to spot a PDF without
/// the extension).
pub fn kind_of(path: &Path, head: Option<&[u8]>) -> FileKind {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "pdf" => FileKind::Document(SourceFormat::Pdf),
        "txt" | "text" => FileKind::Document(SourceFormat::Text),
        _ if head.is_some_and(|h| h.starts_with(b"%PDF-")) => FileKind::Document(SourceFormat::Pdf),
        "" => FileKind::Unsupported("no file extension (aftale reads .pdf and .txt)".into()),
        "docx" | "doc" | "odt" | "rtf" => FileKind::Unsupported(format!(
            "unsupported file type .{ext} (save it as PDF or .txt to import it)"
        )),
        "png" | "jpg" | "jpeg" | "tif" | "tiff" | "gif" | "bmp" | "webp" => FileKind::Unsupported(
            format!("image file .{ext} (put scans into a PDF to have them read with OCR)"),
        ),
        _ => FileKind::Unsupported(format!(
            "unsupported file type .{ext} (aftale reads .pdf and .txt)"
        )),
    }
}

/// Read a file's bytes, refusing it early when it is empty or larger than the limit.
pub fn load(path: &Path, options: &ReadOptions) -> Result<Vec<u8>, DocError> {
    let meta = std::fs::metadata(path).map_err(|e| DocError::Io(e.to_string()))?;
    if meta.is_dir() {
        return Err(DocError::Io("is a directory".into()));
    }
    check_size(meta.len(), options)?;
    let bytes = std::fs::read(path).map_err(|e| DocError::Io(e.to_string()))?;
    // The file may have grown between the two calls.
    check_size(bytes.len() as u64, options)?;
    Ok(bytes)
}

fn check_size(len: u64, options: &ReadOptions) -> Result<(), DocError> {
    if len == 0 {
        return Err(DocError::Empty);
    }
    if len > options.max_bytes {
        return Err(DocError::TooLarge {
            size_mib: len.div_ceil(1 << 20),
            limit_mib: options.max_bytes >> 20,
        });
    }
    Ok(())
}

/// Turn a document's bytes into page texts.
pub fn read(
    bytes: &[u8],
    format: SourceFormat,
    options: &ReadOptions,
) -> Result<RawDocument, DocError> {
    if bytes.is_empty() {
        return Err(DocError::Empty);
    }
    let raw = match format {
        SourceFormat::Pdf => {
            let read = pdf::read_pdf(bytes, &options.pdf_reader, options.pdf_timeout)?;
            let read = ocr::read_pages(bytes, read, &options.ocr)?;
            RawDocument {
                format,
                pages: read.texts,
                bytes: bytes.len() as u64,
                encoding: None,
                warnings: read.warnings,
                page_sources: read.sources,
            }
        }
        SourceFormat::Text => {
            let decoded = text_file::decode(bytes)?;
            let pages: Vec<String> = decoded.text.split('\u{c}').map(str::to_string).collect();
            RawDocument {
                format,
                page_sources: (1..=pages.len() as u32)
                    .map(|page| PageSource {
                        page,
                        source: "text".into(),
                        words: None,
                        dictionary_share: None,
                        ocr_confidence: None,
                    })
                    .collect(),
                pages,
                bytes: bytes.len() as u64,
                encoding: Some(decoded.encoding.to_string()),
                warnings: decoded.warnings,
            }
        }
    };
    if raw.pages.iter().all(|p| p.trim().is_empty()) {
        return Err(match format {
            SourceFormat::Pdf => {
                DocError::NoTextLayer(format!("{} page(s) without text", raw.pages.len()))
            }
            SourceFormat::Text => DocError::NoText,
        });
    }
    Ok(raw)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_by_extension_and_content() {
        let pdf = FileKind::Document(SourceFormat::Pdf);
        assert_eq!(kind_of(Path::new("a/B.PDF"), None), pdf);
        assert_eq!(
            kind_of(Path::new("a/b.txt"), None),
            FileKind::Document(SourceFormat::Text)
        );
        assert_eq!(kind_of(Path::new("scan"), Some(b"%PDF-1.4\n")), pdf);
        assert!(
            matches!(kind_of(Path::new("x.docx"), None), FileKind::Unsupported(r) if r.contains(".docx"))
        );
        assert!(
            matches!(kind_of(Path::new("x.png"), None), FileKind::Unsupported(r) if r.contains("image"))
        );
    }

    #[test]
    fn whitespace_only_text_is_refused() {
        let options = ReadOptions::default();
        assert_eq!(
            read(b" \n\n\t ", SourceFormat::Text, &options),
            Err(DocError::NoText)
        );
        assert_eq!(
            read(b"", SourceFormat::Text, &options),
            Err(DocError::Empty)
        );
    }

    #[test]
    fn form_feeds_split_text_pages() {
        let raw = read(
            "side en\u{c}side to".as_bytes(),
            SourceFormat::Text,
            &ReadOptions::default(),
        )
        .unwrap();
        assert_eq!(raw.pages, vec!["side en", "side to"]);
    }
}
