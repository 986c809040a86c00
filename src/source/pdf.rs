//! PDF pages → text, with the third-party parser kept on a short leash.
//!
//! Pages are parsed by `pdf-extract`, page by page, over a document loaded with `lopdf` (so that
//! encryption and image-only pages can be told apart from damage). Our own output device
//! (`GeometryOutput`) records each glyph's position, advance, size and direction and the
//! axis-aligned rules drawn; [`crate::layout::document_pages`] turns the pages into text (words
//! from glyph gaps, tables as tab-separated rows, running headers and footers left out). `pdf-extract` panics on many
//! malformed files (`unwrap` in its page walker) and can loop or recurse without end on hostile
//! ones. Two containment levels exist:
//!
//! * [`PdfReader::Subprocess`] (what the CLI uses): the bytes go over stdin to a long-lived child
//!   process (`aftale pdf-worker`, hidden, [`run_worker`]) that runs [`read_pdf_bytes`] and
//!   answers with a frame holding one JSON [`WorkerReply`]; the workers are pooled and reused
//!   (see `super::pool`). The parent kills a worker after the time-out. A panic, a stack
//!   overflow, an abort or an out-of-memory death (the child's address space is capped on Unix)
//!   all end only that worker and become that document's [`DocError`]; the next document gets a
//!   fresh worker.
//! * [`PdfReader::InThread`] (for library users and tests): a panic is caught per page with
//!   `catch_unwind`, and a time-out abandons the reading thread (it cannot be killed, so it keeps
//!   its CPU until it ends). A stack overflow still takes the process down: use the subprocess
//!   where that matters.

use std::ffi::OsString;
use std::io::{Read, Write};
use std::panic;
use std::path::PathBuf;
use std::process::Command;
use std::sync::mpsc;
use std::time::Duration;

use crate::error::{contain, DocError};
use crate::layout::{self, Dir, PageGeometry, Rect};
use serde::{Deserialize, Serialize};

/// How PDFs are read.
#[derive(Debug, Clone)]
pub enum PdfReader {
    /// In a thread of this process (panics contained, hangs abandoned).
    InThread,
    /// In a pooled child process `program args…` that speaks the frame protocol of
    /// [`run_worker`]: PDF bytes in, one JSON [`WorkerReply`] out, per request.
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
    // `pdf-extract` misreads the `first last width` form of a CID font's widths (it is what
    // Chromium writes): glyphs get the default width, 1 em, and every glyph after one of them in
    // a string is placed too far right (`Amazon W eb Services`). Rewritten into the
    // `first [widths]` form it reads correctly.
    let _ = contain(|| expand_cid_widths(&mut doc));
    let page_ids = doc.get_pages();
    if page_ids.is_empty() {
        return Err(DocError::CorruptPdf("no pages".into()));
    }
    let mut geometry = Vec::with_capacity(page_ids.len());
    let mut warnings = Vec::new();
    let mut failed = 0usize;
    for &number in page_ids.keys() {
        let result = contain(|| {
            let mut out = GeometryOutput::default();
            pdf_extract::output_doc_page(&doc, &mut out, number).map(|_| out.page)
        });
        match result {
            Ok(Ok(page)) => {
                if page.truncated {
                    warnings.push(format!(
                        "page {number}: more than {} glyphs or {} rules, the rest left out",
                        layout::MAX_GLYPHS,
                        layout::MAX_RECTS
                    ));
                }
                geometry.push(page);
            }
            Ok(Err(e)) => {
                failed += 1;
                warnings.push(format!("page {number}: unreadable ({e})"));
                geometry.push(PageGeometry::default());
            }
            Err(msg) => {
                failed += 1;
                warnings.push(format!("page {number}: reader crashed ({msg})"));
                geometry.push(PageGeometry::default());
            }
        }
    }
    let pages = match contain(|| layout::document_pages(&geometry)) {
        Ok(pages) => pages,
        Err(msg) => return Err(DocError::ReaderPanic(format!("layout: {msg}"))),
    };
    if failed == geometry.len() {
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
        PdfReader::Subprocess { program, args } => super::pool::read(bytes, program, args, timeout),
    }
}

/// Body of the hidden `aftale pdf-worker` command: a long-lived reader for
/// [`super::pool`]. It reads request frames (magic, length, PDF bytes) from stdin and answers
/// each with a frame holding one JSON [`WorkerReply`], until stdin ends (then it exits 0).
/// Input that does not start with a frame is one PDF read to the end of stdin and answered with
/// one JSON line (the older one-shot form, handy by hand: `aftale pdf-worker < a.pdf`).
///
/// A watchdog thread ends the process when its parent is gone (it has been re-parented), so
/// that a worker stuck in a hostile PDF does not outlive an interrupted `aftale`.
pub fn run_worker() -> i32 {
    // Panics are reported in the reply; the default hook's stderr text would only be noise.
    panic::set_hook(Box::new(|_| {}));
    watch_parent();
    let mut stdin = std::io::stdin().lock();
    let mut stdout = std::io::stdout().lock();
    let mut head = [0u8; 12];
    let got = match read_up_to(&mut stdin, &mut head) {
        Ok(n) => n,
        Err(_) => return 1,
    };
    if got == 0 {
        return 0;
    }
    if got < head.len() || super::pool::frame_length(&head, u64::MAX).is_none() {
        // The one-shot form: these bytes are the start of the PDF.
        let mut bytes = head[..got].to_vec();
        let reply = match stdin.read_to_end(&mut bytes) {
            Ok(_) => read_reply(&bytes),
            Err(e) => WorkerReply::Failed(DocError::Io(e.to_string())),
        };
        let line = encode_reply(&reply);
        return match writeln!(stdout, "{line}").and_then(|_| stdout.flush()) {
            Ok(()) => 0,
            Err(_) => 1,
        };
    }
    loop {
        let Some(len) = super::pool::frame_length(&head, u64::MAX) else {
            return 1;
        };
        let mut bytes = Vec::new();
        match (&mut stdin).take(len).read_to_end(&mut bytes) {
            Ok(n) if n as u64 == len => {}
            _ => return 1,
        }
        let reply = read_reply(&bytes);
        drop(bytes);
        if super::pool::write_frame(&mut stdout, encode_reply(&reply).as_bytes()).is_err() {
            return 1;
        }
        drop(reply);
        match read_up_to(&mut stdin, &mut head) {
            Ok(0) => return 0,
            Ok(n) if n == head.len() => {}
            _ => return 1,
        }
    }
}

fn read_reply(bytes: &[u8]) -> WorkerReply {
    match read_pdf_bytes(bytes) {
        Ok(pages) => WorkerReply::Pages(pages),
        Err(e) => WorkerReply::Failed(e),
    }
}

fn encode_reply(reply: &WorkerReply) -> String {
    serde_json::to_string(reply).unwrap_or_else(|e| {
        format!(r#"{{"failed":{{"kind":"worker","detail":"cannot encode reply: {e}"}}}}"#)
    })
}

/// Fill `buf` from `input` as far as it goes; the count is short only at the end of input.
fn read_up_to(input: &mut impl Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut got = 0;
    while got < buf.len() {
        match input.read(&mut buf[got..]) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(got)
}

/// Exit when the parent process is gone (Unix): checked four times a second.
#[cfg(unix)]
fn watch_parent() {
    // SAFETY: getppid has no preconditions.
    let parent = unsafe { libc::getppid() };
    let _ = std::thread::Builder::new()
        .name("parent-watch".into())
        .stack_size(64 << 10)
        .spawn(move || loop {
            std::thread::sleep(Duration::from_millis(250));
            // SAFETY: as above.
            if unsafe { libc::getppid() } != parent {
                std::process::exit(1);
            }
        });
}

#[cfg(not(unix))]
fn watch_parent() {}

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

#[cfg(unix)]
pub(super) fn describe_death(status: &std::process::ExitStatus) -> String {
    use std::os::unix::process::ExitStatusExt;
    match status.signal() {
        Some(sig) => {
            format!("reader died on signal {sig} (crash, stack overflow or out of memory)")
        }
        None => format!("reader exited with {status} without an answer"),
    }
}

#[cfg(not(unix))]
pub(super) fn describe_death(status: &std::process::ExitStatus) -> String {
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

/// Rewrites every CID font's `W` array into the `first [w1 w2 …]` form only (see the call in
/// [`read_pdf_bytes`]). A range wider than 65 536 codes or an entry that is not numbers is
/// left as it was.
fn expand_cid_widths(doc: &mut lopdf::Document) {
    use lopdf::Object;
    let fonts: Vec<lopdf::ObjectId> = doc
        .objects
        .iter()
        .filter(|(_, o)| {
            o.as_dict().is_ok_and(|d| {
                d.get(b"Subtype")
                    .and_then(Object::as_name)
                    .is_ok_and(|n| n == b"CIDFontType2" || n == b"CIDFontType0")
                    && d.has(b"W")
            })
        })
        .map(|(id, _)| *id)
        .collect();
    for id in fonts {
        let w = match doc
            .get_object(id)
            .and_then(Object::as_dict)
            .and_then(|d| d.get(b"W"))
        {
            Ok(Object::Reference(r)) => doc.get_object(*r).ok().cloned(),
            Ok(o) => Some(o.clone()),
            Err(_) => None,
        };
        let Some(Object::Array(w)) = w else {
            continue;
        };
        let number = |o: &Object| match o {
            Object::Integer(i) => Some(*i as f64),
            Object::Real(r) => Some(f64::from(*r)),
            _ => None,
        };
        let mut out = Vec::with_capacity(w.len());
        let mut i = 0;
        let mut changed = false;
        while i + 1 < w.len() {
            if let Object::Array(_) = w[i + 1] {
                out.push(w[i].clone());
                out.push(w[i + 1].clone());
                i += 2;
                continue;
            }
            let (Some(first), Some(last), Some(width)) = (
                w.get(i).and_then(|o| o.as_i64().ok()),
                w.get(i + 1).and_then(|o| o.as_i64().ok()),
                w.get(i + 2).and_then(number),
            ) else {
                break;
            };
            if last < first || last - first > 65_536 {
                i += 3;
                continue;
            }
            let count = (last - first + 1) as usize;
            out.push(Object::Integer(first));
            out.push(Object::Array(vec![Object::Real(width as f32); count]));
            changed = true;
            i += 3;
        }
        if changed {
            if let Ok(Object::Dictionary(d)) = doc.get_object_mut(id) {
                d.set("W", Object::Array(out));
            }
        }
    }
}

/// `pdf-extract` output device that records what a page draws for [`crate::layout`]: each
/// glyph's origin, advance, size and direction in page space (y downwards), and the
/// axis-aligned lines and rectangles stroked or filled (table rules, cell fills). Curves and
/// slanted lines are ignored: they are drawings, or glyphs drawn as outlines.
#[derive(Default)]
struct GeometryOutput {
    page: PageGeometry,
    /// Media box left and top, to move the origin to the top-left corner.
    left: f64,
    top: f64,
}

type Transform = pdf_extract::Transform;

/// A vector through the linear part of a transform.
fn apply_vector(t: &Transform, x: f64, y: f64) -> (f64, f64) {
    (x * t.m11 + y * t.m21, x * t.m12 + y * t.m22)
}

fn apply_point(t: &Transform, x: f64, y: f64) -> (f64, f64) {
    let (vx, vy) = apply_vector(t, x, y);
    (vx + t.m31, vy + t.m32)
}

impl GeometryOutput {
    fn page_point(&self, ctm: &Transform, x: f64, y: f64) -> (f64, f64) {
        let (px, py) = apply_point(ctm, x, y);
        (px - self.left, self.top - py)
    }

    /// Records the axis-aligned pieces of a path: rectangles, and straight segments of
    /// subpaths (as thin rectangles when stroked, as the subpath's box when filled and made
    /// of axis-aligned segments only).
    fn record_path(&mut self, ctm: &Transform, path: &pdf_extract::Path, stroked: bool) {
        use pdf_extract::PathOp;
        let mut start = (0.0, 0.0);
        let mut current = (0.0, 0.0);
        let mut sub: Vec<(f64, f64)> = Vec::new();
        let mut straight = true;
        let flush = |this: &mut Self, sub: &mut Vec<(f64, f64)>, straight: bool| {
            if !stroked && straight && sub.len() >= 3 {
                let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
                for &(x, y) in sub.iter() {
                    (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x), y1.max(y));
                }
                this.page.push_rect(Rect { x0, y0, x1, y1 });
            }
            sub.clear();
        };
        for op in &path.ops {
            match *op {
                PathOp::MoveTo(x, y) => {
                    flush(self, &mut sub, straight);
                    straight = true;
                    current = self.page_point(ctm, x, y);
                    start = current;
                    sub.push(current);
                }
                PathOp::LineTo(x, y) => {
                    let to = self.page_point(ctm, x, y);
                    self.segment(current, to, stroked, &mut straight);
                    current = to;
                    sub.push(to);
                }
                PathOp::CurveTo(_, _, _, _, x, y) => {
                    straight = false;
                    current = self.page_point(ctm, x, y);
                }
                PathOp::Rect(x, y, w, h) => {
                    flush(self, &mut sub, straight);
                    let (ax, ay) = self.page_point(ctm, x, y);
                    let (bx, by) = self.page_point(ctm, x + w, y + h);
                    self.page.push_rect(Rect {
                        x0: ax,
                        y0: ay,
                        x1: bx,
                        y1: by,
                    });
                }
                PathOp::Close => {
                    self.segment(current, start, stroked, &mut straight);
                    current = start;
                }
            }
        }
        flush(self, &mut sub, straight);
    }

    fn segment(&mut self, a: (f64, f64), b: (f64, f64), stroked: bool, straight: &mut bool) {
        let axis = (a.0 - b.0).abs() < 0.5 || (a.1 - b.1).abs() < 0.5;
        if !axis {
            *straight = false;
        } else if stroked {
            // A stroked line of unknown width: a rule 0.5 pt thick.
            self.page.push_rect(Rect {
                x0: a.0.min(b.0) - 0.25,
                y0: a.1.min(b.1) - 0.25,
                x1: a.0.max(b.0) + 0.25,
                y1: a.1.max(b.1) + 0.25,
            });
        }
    }
}

impl pdf_extract::OutputDev for GeometryOutput {
    fn begin_page(
        &mut self,
        _page_num: u32,
        media_box: &pdf_extract::MediaBox,
        _art_box: Option<(f64, f64, f64, f64)>,
    ) -> Result<(), pdf_extract::OutputError> {
        self.left = media_box.llx;
        self.top = media_box.ury;
        self.page = PageGeometry::new(
            (media_box.urx - media_box.llx).abs(),
            (media_box.ury - media_box.lly).abs(),
        );
        Ok(())
    }

    fn end_page(&mut self) -> Result<(), pdf_extract::OutputError> {
        Ok(())
    }

    fn output_character(
        &mut self,
        trm: &Transform,
        width: f64,
        _spacing: f64,
        font_size: f64,
        char: &str,
    ) -> Result<(), pdf_extract::OutputError> {
        let (ax, ay) = apply_vector(trm, width * font_size, 0.0);
        let (ux, uy) = apply_vector(trm, 0.0, font_size);
        let (x, y) = (trm.m31 - self.left, self.top - trm.m32);
        let advance = ax.hypot(ay);
        let size = ux.hypot(uy);
        // Page space has y downwards; a glyph with no advance (width 0) takes its direction
        // from its up vector turned a quarter clockwise.
        let dir = if advance > 1e-9 {
            Dir::of_vector(ax, -ay)
        } else {
            Dir::of_vector(uy, ux)
        };
        self.page.push_glyph(x, y, advance, size, dir, char);
        Ok(())
    }

    fn begin_word(&mut self) -> Result<(), pdf_extract::OutputError> {
        Ok(())
    }

    fn end_word(&mut self) -> Result<(), pdf_extract::OutputError> {
        Ok(())
    }

    fn end_line(&mut self) -> Result<(), pdf_extract::OutputError> {
        Ok(())
    }

    fn stroke(
        &mut self,
        ctm: &Transform,
        _colorspace: &pdf_extract::ColorSpace,
        _color: &[f64],
        path: &pdf_extract::Path,
    ) -> Result<(), pdf_extract::OutputError> {
        self.record_path(ctm, path, true);
        Ok(())
    }

    fn fill(
        &mut self,
        ctm: &Transform,
        _colorspace: &pdf_extract::ColorSpace,
        _color: &[f64],
        path: &pdf_extract::Path,
    ) -> Result<(), pdf_extract::OutputError> {
        self.record_path(ctm, path, false);
        Ok(())
    }
}

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
            args: vec!["-c".into(), "head -c 20 >/dev/null; kill -SEGV $$".into()],
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
            args: vec!["-c".into(), "head -c 20 >/dev/null; echo hello".into()],
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
