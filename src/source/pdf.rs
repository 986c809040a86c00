//! PDF pages → text, with the third-party parser kept on a short leash.
//!
//! Text comes from `pdf-extract`, page by page, over a document loaded with `lopdf` (so that
//! encryption and image-only pages can be told apart from damage). `pdf-extract` panics on many
//! malformed files (`unwrap` in its page walker) and can loop or recurse without end on hostile
//! ones. Two containment levels exist:
//!
//! * [`PdfReader::Subprocess`] (what the CLI uses): the bytes go over stdin to a child process
//!   (`aftale pdf-worker`, hidden) that runs [`read_pdf_bytes`] and answers with one JSON line.
//!   The parent kills it after the time-out. A panic, a stack overflow, an abort or an
//!   out-of-memory death (the child's address space is capped on Unix) all end only the child and
//!   become that document's [`DocError`].
//! * [`PdfReader::InThread`] (for library users and tests): a panic is caught per page with
//!   `catch_unwind`, and a time-out abandons the reading thread (it cannot be killed, so it keeps
//!   its CPU until it ends). A stack overflow still takes the process down: use the subprocess
//!   where that matters.

use std::ffi::OsString;
use std::io::{Read, Write};
use std::panic;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use wait_timeout::ChildExt;

use crate::error::{contain, DocError};

/// How PDFs are read.
#[derive(Debug, Clone)]
pub enum PdfReader {
    /// In a thread of this process (panics contained, hangs abandoned).
    InThread,
    /// In a child process: `program args…`, bytes on stdin, one JSON [`WorkerReply`] line on stdout.
    Subprocess {
        program: PathBuf,
        args: Vec<OsString>,
    },
}

/// Text of a PDF, one string per page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PdfPages {
    pub pages: Vec<String>,
    pub warnings: Vec<String>,
    /// Per page: does it draw an image? Looked up only for pages with under [`LITTLE_TEXT`]
    /// characters of text (false elsewhere): what tells a scanned page from a blank one.
    #[serde(default)]
    pub images: Vec<bool>,
}

/// Characters of text under which a page is checked for images.
pub const LITTLE_TEXT: usize = 200;

/// The one line a PDF worker process prints.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WorkerReply {
    Pages(PdfPages),
    Failed(DocError),
}

/// Address-space cap of a worker process (Unix): large enough for real agreements, small
/// enough that a hostile file cannot take the machine's memory.
const WORKER_MEMORY_LIMIT: u64 = 4 << 30;

/// Read a PDF held in memory, page by page, in this thread. Panics inside `pdf-extract` are
/// caught per page; a page that fails leaves an empty page and a warning.
pub fn read_pdf_bytes(bytes: &[u8]) -> Result<PdfPages, DocError> {
    let head = &bytes[..bytes.len().min(1024)];
    if !head.windows(5).any(|w| w == b"%PDF-") {
        return Err(DocError::NotPdf);
    }
    let mut doc = match contain(|| lopdf::Document::load_mem(bytes)) {
        Ok(Ok(doc)) => doc,
        Ok(Err(e)) => return Err(classify_load_error(&e.to_string())),
        Err(msg) => return Err(DocError::ReaderPanic(msg)),
    };
    if doc.is_encrypted() && doc.decrypt("").is_err() {
        return Err(DocError::Encrypted);
    }
    let page_ids = doc.get_pages();
    if page_ids.is_empty() {
        return Err(DocError::CorruptPdf("no pages".into()));
    }
    let mut pages = Vec::with_capacity(page_ids.len());
    let mut warnings = Vec::new();
    let mut failed = 0usize;
    for &number in page_ids.keys() {
        let result = contain(|| {
            let mut text = String::new();
            let mut out = pdf_extract::PlainTextOutput::new(&mut text);
            pdf_extract::output_doc_page(&doc, &mut out, number).map(|_| text)
        });
        match result {
            Ok(Ok(text)) => pages.push(text),
            Ok(Err(e)) => {
                failed += 1;
                warnings.push(format!("page {number}: unreadable ({e})"));
                pages.push(String::new());
            }
            Err(msg) => {
                failed += 1;
                warnings.push(format!("page {number}: reader crashed ({msg})"));
                pages.push(String::new());
            }
        }
    }
    if failed == pages.len() {
        let first = warnings.first().cloned().unwrap_or_default();
        return Err(DocError::CorruptPdf(format!(
            "no page could be read; {first}"
        )));
    }
    // Whether a page draws an image, looked up only where there is little text: a scanned
    // page (OCR decides what to do with it, see `super::ocr`) or a blank one.
    let images = page_ids
        .values()
        .zip(&pages)
        .map(|(&id, text)| {
            text.trim().len() < LITTLE_TEXT
                && matches!(
                    contain(|| doc.get_page_images(id).map(|v| !v.is_empty())),
                    Ok(Ok(true))
                )
        })
        .collect();
    Ok(PdfPages {
        pages,
        warnings,
        images,
    })
}

/// Read a PDF with the chosen containment, giving up after `timeout`.
pub fn read_pdf(bytes: &[u8], reader: &PdfReader, timeout: Duration) -> Result<PdfPages, DocError> {
    match reader {
        PdfReader::InThread => read_in_thread(bytes, timeout),
        PdfReader::Subprocess { program, args } => {
            read_in_subprocess(bytes, program, args, timeout)
        }
    }
}

/// Body of the hidden `aftale pdf-worker` command: PDF bytes on stdin, one JSON line on stdout.
pub fn run_worker() -> i32 {
    // Panics are reported in the reply; the default hook's stderr text would only be noise.
    panic::set_hook(Box::new(|_| {}));
    let mut bytes = Vec::new();
    let reply = match std::io::stdin().read_to_end(&mut bytes) {
        Ok(_) => match read_pdf_bytes(&bytes) {
            Ok(pages) => WorkerReply::Pages(pages),
            Err(e) => WorkerReply::Failed(e),
        },
        Err(e) => WorkerReply::Failed(DocError::Io(e.to_string())),
    };
    let line = serde_json::to_string(&reply).unwrap_or_else(|e| {
        format!(r#"{{"failed":{{"kind":"worker","detail":"cannot encode reply: {e}"}}}}"#)
    });
    let mut stdout = std::io::stdout().lock();
    if writeln!(stdout, "{line}")
        .and_then(|_| stdout.flush())
        .is_err()
    {
        return 1;
    }
    0
}

fn read_in_thread(bytes: &[u8], timeout: Duration) -> Result<PdfPages, DocError> {
    let (tx, rx) = mpsc::channel();
    let owned = bytes.to_vec();
    std::thread::Builder::new()
        .name("pdf-reader".into())
        .stack_size(64 << 20)
        .spawn(move || {
            let _ = tx.send(read_pdf_bytes(&owned));
        })
        .map_err(|e| DocError::Worker(format!("cannot start reader thread: {e}")))?;
    match rx.recv_timeout(timeout) {
        Ok(result) => result,
        Err(mpsc::RecvTimeoutError::Timeout) => Err(DocError::Timeout(timeout.as_secs())),
        Err(mpsc::RecvTimeoutError::Disconnected) => Err(DocError::ReaderPanic(
            "reader thread ended without an answer".into(),
        )),
    }
}

fn read_in_subprocess(
    bytes: &[u8],
    program: &PathBuf,
    args: &[OsString],
    timeout: Duration,
) -> Result<PdfPages, DocError> {
    let mut cmd = Command::new(program);
    cmd.args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    limit_memory(&mut cmd);
    let mut child = cmd
        .spawn()
        .map_err(|e| DocError::Worker(format!("cannot start {}: {e}", program.display())))?;
    // Feed stdin and drain stdout on their own threads so that neither pipe can fill up and
    // block the child while we wait for it.
    let stdin = child.stdin.take();
    let input = bytes.to_vec();
    let feeder = std::thread::spawn(move || {
        if let Some(mut stdin) = stdin {
            let _ = stdin.write_all(&input);
        }
    });
    let stdout = child.stdout.take();
    let drainer = std::thread::spawn(move || {
        let mut out = Vec::new();
        if let Some(mut stdout) = stdout {
            let _ = stdout.read_to_end(&mut out);
        }
        out
    });
    let status = match child.wait_timeout(timeout) {
        Ok(Some(status)) => status,
        Ok(None) => {
            let _ = child.kill();
            let _ = child.wait();
            let _ = feeder.join();
            let _ = drainer.join();
            return Err(DocError::Timeout(timeout.as_secs()));
        }
        Err(e) => {
            let _ = child.kill();
            let _ = child.wait();
            return Err(DocError::Worker(format!("cannot wait for reader: {e}")));
        }
    };
    let _ = feeder.join();
    let out = drainer.join().unwrap_or_default();
    let text = String::from_utf8_lossy(&out);
    let reply = text
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .and_then(|l| serde_json::from_str::<WorkerReply>(l).ok());
    match reply {
        Some(WorkerReply::Pages(pages)) => Ok(pages),
        Some(WorkerReply::Failed(e)) => Err(e),
        None => Err(DocError::Worker(describe_death(&status))),
    }
}

#[cfg(unix)]
fn describe_death(status: &std::process::ExitStatus) -> String {
    use std::os::unix::process::ExitStatusExt;
    match status.signal() {
        Some(sig) => {
            format!("reader died on signal {sig} (crash, stack overflow or out of memory)")
        }
        None => format!("reader exited with {status} without an answer"),
    }
}

#[cfg(not(unix))]
fn describe_death(status: &std::process::ExitStatus) -> String {
    format!("reader exited with {status} without an answer")
}

#[cfg(unix)]
pub(super) fn limit_memory(cmd: &mut Command) {
    use std::os::unix::process::CommandExt;
    // SAFETY: the closure runs between fork and exec and only calls setrlimit, which is
    // async-signal-safe; it allocates nothing.
    unsafe {
        cmd.pre_exec(|| {
            let limit = libc::rlimit {
                rlim_cur: WORKER_MEMORY_LIMIT as libc::rlim_t,
                rlim_max: WORKER_MEMORY_LIMIT as libc::rlim_t,
            };
            libc::setrlimit(libc::RLIMIT_AS, &limit);
            Ok(())
        });
    }
}

#[cfg(not(unix))]
pub(super) fn limit_memory(_cmd: &mut Command) {}

fn classify_load_error(message: &str) -> DocError {
    let lower = message.to_lowercase();
    if ["password", "decrypt", "encrypt"]
        .iter()
        .any(|w| lower.contains(w))
    {
        DocError::Encrypted
    } else {
        DocError::CorruptPdf(message.to_string())
    }
}

/// `1-3, 7` for a sorted list of page numbers.
pub(super) fn page_list(pages: &[u32]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < pages.len() {
        let start = pages[i];
        let mut end = start;
        while i + 1 < pages.len() && pages[i + 1] == end + 1 {
            i += 1;
            end = pages[i];
        }
        parts.push(if start == end {
            start.to_string()
        } else {
            format!("{start}-{end}")
        });
        i += 1;
    }
    parts.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_bytes_without_pdf_header() {
        assert_eq!(read_pdf_bytes(b"hello world"), Err(DocError::NotPdf));
    }

    #[test]
    fn truncated_header_is_corrupt_not_a_crash() {
        let result = read_pdf_bytes(b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog");
        assert!(matches!(result, Err(DocError::CorruptPdf(_))), "{result:?}");
    }

    #[cfg(unix)]
    #[test]
    fn a_hanging_reader_is_killed_at_the_time_out() {
        let reader = PdfReader::Subprocess {
            program: "sleep".into(),
            args: vec!["30".into()],
        };
        let started = std::time::Instant::now();
        let result = read_pdf(b"%PDF-1.4", &reader, Duration::from_secs(1));
        assert_eq!(result, Err(DocError::Timeout(1)));
        assert!(started.elapsed() < Duration::from_secs(10));
    }

    #[cfg(unix)]
    #[test]
    fn a_crashing_reader_is_that_document_s_error() {
        let reader = PdfReader::Subprocess {
            program: "sh".into(),
            args: vec!["-c".into(), "cat >/dev/null; kill -SEGV $$".into()],
        };
        let result = read_pdf(b"%PDF-1.4", &reader, Duration::from_secs(10));
        assert!(
            matches!(&result, Err(DocError::Worker(m)) if m.contains("signal 11")),
            "{result:?}"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_reader_answering_garbage_is_an_error() {
        let reader = PdfReader::Subprocess {
            program: "sh".into(),
            args: vec!["-c".into(), "cat >/dev/null; echo hello".into()],
        };
        let result = read_pdf(b"%PDF-1.4", &reader, Duration::from_secs(10));
        assert!(matches!(result, Err(DocError::Worker(_))), "{result:?}");
    }

    #[test]
    fn page_lists_are_compact() {
        assert_eq!(page_list(&[1, 2, 3, 7, 9, 10]), "1-3, 7, 9-10");
    }

    #[test]
    fn load_errors_about_passwords_mean_encrypted() {
        assert_eq!(
            classify_load_error("Decryption error: incorrect password"),
            DocError::Encrypted
        );
        assert!(matches!(
            classify_load_error("invalid xref"),
            DocError::CorruptPdf(_)
        ));
    }
}
