//! OCR: PDF pages without a usable text layer → text recognised by Tesseract (issue 11).
//!
//! Each page of a PDF is judged on its text layer first ([`text_quality`]): a page with no
//! text over an image (a scan), little text over an image (a scan with a stamped page number),
//! or text of which fewer than [`MIN_DICTIONARY_SHARE`] of the words are Danish words (a bad
//! OCR layer, a font without a usable character map) needs OCR; other pages keep their text
//! layer, so a typed agreement with a scanned signed appendix is read page by page. A page
//! that needs OCR is rendered by poppler's `pdftoppm` and recognised by `tesseract -l dan`,
//! whose TSV output gives the words, their lines and their confidences.
//!
//! Both tools run as child processes, not through a binding, for the same reasons PDFs are
//! parsed in `aftale pdf-worker`: a crash or hang of Leptonica, Tesseract or poppler on a
//! hostile image ends only that page (killed at the page time-out, memory-capped), and the
//! crate builds with cargo alone, without a C toolchain, Tesseract headers or a pdfium build;
//! the tools are found on the `PATH` when they are needed, and their absence is a reason, not a
//! build failure. Pages are recognised in parallel (rayon: inside a batch they share the
//! ingest workers), one single-threaded Tesseract per page, so N workers use N cores.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Once, OnceLock};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use super::child;
use super::pdf::{page_list, PdfPages};
use crate::error::DocError;
use crate::layout::{self, PageGeometry, Word};
use crate::record::{PageSource, Quality};
use crate::repair::Repairer;

/// When pages are recognised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OcrMode {
    /// Pages without a usable text layer (see the module doc).
    Auto,
    /// Every page that shows anything, whatever its text layer.
    Always,
    /// None: pages without text are reported as needing OCR.
    #[default]
    Never,
}

/// How OCR runs.
#[derive(Debug, Clone)]
pub struct OcrOptions {
    pub mode: OcrMode,
    /// Rendering resolution. 150 dpi: on the scans of `fixtures/scans` (150 and 300 dpi, 9.5–10
    /// pt text) it read clauses, numbers and deadlines at least as well as 200 and 300 dpi, for
    /// about 60 % of the CPU time of 300 dpi (the README has the numbers); rendering a 300 dpi
    /// scan down also smooths its specks. Small print may want `--ocr-dpi 300`.
    pub dpi: u32,
    /// One page (render and recognise) that takes longer fails alone.
    pub page_timeout: Duration,
    /// Tesseract language data.
    pub language: String,
    /// When the tools are missing, say once per process on stderr how to install them (the
    /// command line sets this; a library caller reads it from the document's reason).
    pub notify_missing: bool,
    /// A folder where every recognised page is kept until its document is stored, so that an
    /// interrupted import does not recognise those pages again (`ingest` keeps it in the index
    /// folder); `None` keeps nothing.
    pub cache: Option<std::path::PathBuf>,
}

impl Default for OcrOptions {
    fn default() -> Self {
        OcrOptions {
            mode: OcrMode::default(),
            dpi: 150,
            page_timeout: Duration::from_secs(120),
            language: "dan".to_string(),
            notify_missing: false,
            cache: None,
        }
    }
}

/// The recognised pages of one PDF kept on disk: `<cache>/<content id>-<dpi>-<language>-<page>`.
struct PageCache<'a> {
    dir: &'a std::path::Path,
    prefix: String,
}

impl<'a> PageCache<'a> {
    fn new(pdf: &[u8], options: &'a OcrOptions) -> Option<PageCache<'a>> {
        let dir = options.cache.as_deref()?;
        let prefix = format!(
            "{}-{}-{}",
            crate::pipeline::content_id(pdf),
            options.dpi,
            options.language
        );
        Some(PageCache { dir, prefix })
    }

    fn file(&self, page: u32) -> std::path::PathBuf {
        self.dir.join(format!("{}-{page}.txt", self.prefix))
    }

    /// A page recognised before: its confidence and word count on the first line, its text
    /// after.
    fn get(&self, page: u32) -> Option<OcrText> {
        let stored = std::fs::read_to_string(self.file(page)).ok()?;
        let (head, text) = stored.split_once('\n')?;
        let mut fields = head.split(' ');
        let confidence = fields.next()?.parse::<f64>().ok().filter(|c| *c >= 0.0);
        let words = fields.next()?.parse::<u32>().ok()?;
        Some(OcrText {
            text: text.to_string(),
            confidence,
            words,
        })
    }

    /// Keep a page (written whole or not at all); a cache that cannot be written is no error.
    fn put(&self, page: u32, ocr: &OcrText) {
        let _ = std::fs::create_dir_all(self.dir);
        let target = self.file(page);
        let tmp = target.with_extension("tmp");
        let body = format!(
            "{} {}\n{}",
            ocr.confidence.unwrap_or(-1.0),
            ocr.words,
            ocr.text
        );
        if std::fs::write(&tmp, body).is_ok() {
            let _ = std::fs::rename(&tmp, &target);
        }
    }
}

/// Forget the kept pages of a content (once its document is stored).
pub fn forget_pages(cache: &std::path::Path, content_id: &str) {
    let Ok(entries) = std::fs::read_dir(cache) else {
        return;
    };
    for entry in entries.flatten() {
        if entry.file_name().to_string_lossy().starts_with(content_id) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// How to get the tools on Debian and Ubuntu.
pub const INSTALL_HINT: &str = "apt-get install tesseract-ocr tesseract-ocr-dan poppler-utils";

/// A text layer with a smaller share of Danish words is taken for garbage. Clean Danish pages
/// score 0.85–1.0 and the raw OCR text of seed 001 (`geeldende`, `FORMAL`) 0.8 and up;
/// misencoded or badly recognised text stays far below (see the tests).
pub const MIN_DICTIONARY_SHARE: f64 = 0.5;
/// Fewer words than this over an image: a scanned page that carries only a stamped line.
const FEW_WORDS: u32 = 10;
/// Words looked up per page to estimate the share (enough for two decimals, and cheap).
const SAMPLE_WORDS: u32 = 400;
/// OCR pages below this mean word confidence (0–100) are flagged for review.
pub const REVIEW_CONFIDENCE: f64 = 80.0;
/// OCR pages with a smaller share of Danish words are flagged for review.
pub const REVIEW_DICTIONARY_SHARE: f64 = 0.75;

/// Pages recognised so far in this process: what a progress bar shows beside documents.
pub static PAGES_RECOGNISED: AtomicU64 = AtomicU64::new(0);

/// How much of a text reads as words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TextQuality {
    /// Words of two or more letters (runs of letters and digits with at least one letter).
    pub words: u32,
    /// Of these, the ones looked up (at most [`SAMPLE_WORDS`]).
    pub checked: u32,
    /// Of the looked-up ones, those that are Danish words.
    pub known: u32,
    /// Characters that are neither space nor part of a word or number: much ink and few words
    /// is garbage too.
    pub other_chars: u32,
}

impl TextQuality {
    /// Share of looked-up words that are Danish words; `None` without words.
    pub fn share(&self) -> Option<f64> {
        (self.checked > 0).then(|| f64::from(self.known) / f64::from(self.checked))
    }
}

/// Measure how well `text` reads as Danish: the words it holds and how many of them the OCR
/// repair lexicon knows (compounds and inflected forms included). Numbers are neutral.
pub fn text_quality(text: &str) -> TextQuality {
    let lexicon = Repairer::danish();
    let mut q = TextQuality::default();
    for piece in text.split(|c: char| !c.is_alphanumeric()) {
        if piece.is_empty() || !piece.chars().any(char::is_alphabetic) {
            continue;
        }
        if piece.chars().count() < 2 {
            continue;
        }
        q.words += 1;
        if q.checked < SAMPLE_WORDS {
            q.checked += 1;
            // A word with a digit inside (`tl1e`, `Databehand1eren`) is a misreading.
            if piece.chars().all(char::is_alphabetic) && lexicon.is_word(piece) {
                q.known += 1;
            }
        }
    }
    q.other_chars = text
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_alphanumeric() && !COMMON_MARKS.contains(*c))
        .count() as u32;
    q
}

/// Punctuation of ordinary agreement text, not counted as garbage.
const COMMON_MARKS: &str = ".,;:!?()[]\"'«»“”„‘’-–—/§%&+=@€$*•·";

/// Why a page needs OCR, or `None` when its text layer is used.
fn needs_ocr(text: &str, has_images: bool, q: &TextQuality, mode: OcrMode) -> Option<String> {
    let blank = text.trim().is_empty();
    if blank && !has_images {
        return None; // a blank page: nothing to read
    }
    if mode == OcrMode::Always {
        return Some("--ocr always".into());
    }
    if blank {
        return Some("no text layer".into());
    }
    if has_images && q.words < FEW_WORDS {
        return Some(format!("{} word(s) of text over an image", q.words));
    }
    if q.words < FEW_WORDS && q.other_chars > 50 {
        return Some(format!(
            "{} unreadable characters and {} word(s)",
            q.other_chars, q.words
        ));
    }
    let share = q.share()?;
    if share < MIN_DICTIONARY_SHARE && !in_another_language(text) {
        return Some(format!(
            "only {:.0} % of its words are Danish words",
            share * 100.0
        ));
    }
    None
}

/// Clean text in a language other than Danish (an English agreement) is not garbage, though
/// few of its words are Danish; garbage is not reliably any language.
fn in_another_language(text: &str) -> bool {
    whatlang::detect(text).is_some_and(|info| {
        info.is_reliable()
            && !matches!(
                info.lang(),
                whatlang::Lang::Dan | whatlang::Lang::Nob | whatlang::Lang::Swe
            )
    })
}

/// Why a page was not recognised: the run was interrupted.
const INTERRUPTED: &str = "interrupted";

/// A page as Tesseract read it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct OcrText {
    /// Lines as recognised; a blank line between Tesseract's blocks and paragraphs.
    pub text: String,
    /// Mean word confidence, 0–100; `None` without words.
    pub confidence: Option<f64>,
    pub words: u32,
}

/// Read Tesseract's TSV output (`level page block par line word left top width height conf
/// text`): the words (level 5) with their boxes go through [`crate::layout`] like a PDF page's
/// glyphs (so a table on a scan comes out as tab-separated rows), on the baseline and height
/// of the line Tesseract put them on, a change of Tesseract paragraph starting a paragraph;
/// each line's start is tidied ([`tidy_line_start`]).
pub fn parse_tsv(tsv: &str) -> OcrText {
    struct Box<'a> {
        left: f64,
        width: f64,
        bottom: f64,
        height: f64,
        conf: f64,
        text: &'a str,
        para: u32,
        line: (u32, u32, u32),
    }
    let num = |s: &str| s.trim().parse::<f64>().ok().filter(|v| v.is_finite());
    let id = |s: &str| s.trim().parse::<u32>().unwrap_or(0);
    let mut boxes: Vec<Box<'_>> = Vec::new();
    let (mut sum, mut words) = (0.0, 0u32);
    for row in tsv.lines().skip(1) {
        let cols: Vec<&str> = row.split('\t').collect();
        let [level, _, block, par, line, _, left, top, width, height, conf, word] = cols[..] else {
            continue;
        };
        let word = word.trim();
        if level != "5" || word.is_empty() {
            continue;
        }
        let conf = conf.trim().parse::<f64>().unwrap_or(-1.0);
        if conf >= 0.0 {
            sum += conf;
            words += 1;
        }
        let (Some(left), Some(top), Some(width), Some(height)) =
            (num(left), num(top), num(width), num(height))
        else {
            continue;
        };
        let (block, par, line) = (id(block), id(par), id(line));
        boxes.push(Box {
            left,
            width: width.max(0.0),
            bottom: top + height.max(0.0),
            height: height.max(1.0),
            conf,
            text: word,
            para: block.wrapping_mul(10_000).wrapping_add(par),
            line: (block, par, line),
        });
    }
    // Every word of a Tesseract line sits on that line's median bottom, with its median height
    // (a word box is its ink: descenders and capitals would scatter them).
    type Samples = (Vec<f64>, Vec<f64>);
    let mut by_line: HashMap<(u32, u32, u32), Samples> = HashMap::new();
    for b in &boxes {
        let entry = by_line.entry(b.line).or_default();
        entry.0.push(b.bottom);
        entry.1.push(b.height);
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v.get(v.len() / 2).copied().unwrap_or(0.0)
    };
    let lines: HashMap<(u32, u32, u32), (f64, f64)> = by_line
        .into_iter()
        .map(|(k, (mut bottoms, mut heights))| (k, (median(&mut bottoms), median(&mut heights))))
        .collect();
    let (mut width, mut height) = (0.0f64, 0.0f64);
    let mut page = PageGeometry::default();
    for b in &boxes {
        let (y, h) = lines.get(&b.line).copied().unwrap_or((b.bottom, b.height));
        width = width.max(b.left + b.width);
        height = height.max(y);
        page.words.push(Word {
            x0: b.left,
            x1: b.left + b.width,
            y,
            // Ink height of a line is about three quarters of the font size.
            size: h * 1.3,
            text: b.text.to_string(),
            conf: b.conf,
            para: Some(b.para),
        });
    }
    (page.width, page.height) = (width, height);
    let mut text = layout::page_text_with(&page, &|line| tidy_line_start(line));
    if text.ends_with("\n\n") {
        text.pop();
    }
    OcrText {
        text,
        confidence: (words > 0).then(|| (sum / f64::from(words) * 10.0).round() / 10.0),
        words,
    }
}

/// A line's words, with what Tesseract often does to the start of a numbered clause undone,
/// because clause numbers are only recognised at line starts:
///
/// * specks and edge shadows read as marks or short words (`'`, `|`, `KEN`) before the text:
///   dropped when they hold no letter or digit, or are at most three characters read with
///   low confidence before a number;
/// * a number read in pieces (`3. 1. Tekniske`, `3 2.1.`, `3, 4. 1.`) or with a comma or
///   colon for a dot (`3,4.`, `3.1:3.`): joined into `3.1.`, `3.2.1.`, `3.4.1.`, `3.4.`,
///   `3.1.3.`, but only when the pieces end with a separator and make a number of two to five
///   parts of one or two digits each (`2. 3 dage`, `3,5 mio.` and dates are left alone).
fn tidy_line_start(line: &[(&str, f64)]) -> String {
    let is_piece = |w: &str| {
        w.chars().next().is_some_and(|c| c.is_ascii_digit())
            && w.chars().all(|c| c.is_ascii_digit() || ".,:".contains(c))
    };
    let mut words = line;
    while let [(w, conf), rest @ ..] = words {
        let before_number = rest.first().is_some_and(|(next, _)| is_piece(next));
        let junk = !w.chars().any(char::is_alphanumeric)
            || (w.chars().count() <= 3 && *conf < LOW_CONFIDENCE && before_number);
        if !junk || rest.is_empty() {
            break;
        }
        words = rest;
    }
    let pieces = words.iter().take_while(|(w, _)| is_piece(w)).count();
    let mut best: Option<(usize, String)> = None;
    for k in 1..=pieces.min(5) {
        if !words[k - 1].0.ends_with(['.', ',', ':']) {
            continue;
        }
        // A space between pieces stands for a dot (`3` `2.1.` is `3.2.1.`).
        let parts: Vec<&str> = words[..k]
            .iter()
            .flat_map(|(w, _)| w.split(['.', ',', ':']).filter(|p| !p.is_empty()))
            .collect();
        if (2..=5).contains(&parts.len()) && parts.iter().all(|p| p.len() <= 2) {
            best = Some((k, format!("{}.", parts.join("."))));
        }
    }
    let mut out: Vec<&str> = Vec::with_capacity(words.len());
    let number;
    let rest = match &best {
        Some((k, n)) => {
            number = n.clone();
            out.push(&number);
            &words[*k..]
        }
        None => words,
    };
    out.extend(rest.iter().map(|(w, _)| *w));
    out.join(" ")
}

/// Below this confidence a short word at a line start is taken for a speck.
const LOW_CONFIDENCE: f64 = 50.0;

/// Are `pdftoppm` and `tesseract` with the language data there? Checked once per process (for
/// the first language asked); the error is a one-line reason.
pub fn tools_available(language: &str) -> Result<(), String> {
    static CHECKED: OnceLock<Result<(), String>> = OnceLock::new();
    CHECKED
        .get_or_init(|| {
            let limit = Duration::from_secs(30);
            let deadline = Instant::now() + limit;
            child::run("pdftoppm", ["-v"], &[], b"", deadline, limit).map_err(|e| e.to_string())?;
            let langs = child::run("tesseract", ["--list-langs"], &[], b"", deadline, limit)
                .map_err(|e| e.to_string())?;
            let langs = String::from_utf8_lossy(&langs);
            if !langs.lines().any(|l| l.trim() == language) {
                return Err(format!(
                    "tesseract has no '{language}' language data (tesseract-ocr-{language})"
                ));
            }
            Ok(())
        })
        .clone()
}

/// Render page `page` (1-based) of `pdf` and recognise it; the error is a one-line reason.
pub fn recognise_page(pdf: &[u8], page: u32, options: &OcrOptions) -> Result<OcrText, String> {
    let limit = options.page_timeout;
    let deadline = Instant::now() + limit;
    let (dpi, n) = (options.dpi.to_string(), page.to_string());
    let png = child::run(
        "pdftoppm",
        [
            "-r",
            &dpi,
            "-f",
            &n,
            "-l",
            &n,
            "-singlefile",
            "-gray",
            "-png",
            "-",
        ],
        &[],
        pdf,
        deadline,
        limit,
    )
    .map_err(|e| e.to_string())?;
    if png.is_empty() {
        return Err("pdftoppm rendered nothing".into());
    }
    // One thread per Tesseract: pages run side by side, one per worker.
    let tsv = child::run(
        "tesseract",
        [
            "stdin",
            "stdout",
            "-l",
            &options.language,
            "--dpi",
            &dpi,
            "tsv",
        ],
        &[("OMP_THREAD_LIMIT", "1")],
        &png,
        deadline,
        limit,
    )
    .map_err(|e| e.to_string())?;
    Ok(parse_tsv(&String::from_utf8_lossy(&tsv)))
}

/// Say once per process how to get the tools.
fn notify_missing(why: &str) {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        eprintln!("aftale: OCR of scanned pages is not available ({why}); install it with: {INSTALL_HINT}");
    });
}

/// A PDF's pages after OCR: texts, where each came from, and what was noticed.
#[derive(Debug, Clone, PartialEq)]
pub struct Pages {
    pub texts: Vec<String>,
    pub sources: Vec<PageSource>,
    pub warnings: Vec<String>,
}

/// Decide per page between the text layer and OCR, recognise the pages that need it (in
/// parallel), and account for every page. Fails only when no page has any text in the end.
pub fn read_pages(pdf: &[u8], read: PdfPages, options: &OcrOptions) -> Result<Pages, DocError> {
    let PdfPages {
        pages: mut texts,
        mut warnings,
        images,
    } = read;
    let qualities: Vec<TextQuality> = texts.iter().map(|t| text_quality(t)).collect();
    let mut sources: Vec<PageSource> = texts
        .iter()
        .zip(&qualities)
        .enumerate()
        .map(|(i, (t, q))| PageSource {
            page: i as u32 + 1,
            source: if t.trim().is_empty() {
                "none"
            } else {
                "text_layer"
            }
            .to_string(),
            words: Some(q.words),
            dictionary_share: q.share().map(round2),
            ocr_confidence: None,
        })
        .collect();
    let wanted: Vec<(usize, String)> = texts
        .iter()
        .zip(&qualities)
        .enumerate()
        .filter_map(|(i, (t, q))| {
            let has_images = images.get(i).copied().unwrap_or(false);
            // `Never` still asks, to tell which pages would need OCR.
            let mode = if options.mode == OcrMode::Never {
                OcrMode::Auto
            } else {
                options.mode
            };
            needs_ocr(t, has_images, q, mode).map(|why| (i, why))
        })
        .collect();
    let unavailable = match options.mode {
        _ if wanted.is_empty() => None,
        OcrMode::Never => Some("OCR is off".to_string()),
        _ => tools_available(&options.language).err().inspect(|why| {
            if options.notify_missing {
                notify_missing(why);
            }
        }),
    };
    if let Some(why) = &unavailable {
        let mut unread = Vec::new();
        for (i, reason) in &wanted {
            if texts[*i].trim().is_empty() {
                sources[*i].source = "needs_ocr".into();
                unread.push(*i as u32 + 1);
            } else {
                warnings.push(format!(
                    "page {}: text layer kept though it reads badly ({reason}): {why}",
                    i + 1
                ));
            }
        }
        if !unread.is_empty() && texts.iter().any(|t| !t.trim().is_empty()) {
            warnings.push(format!(
                "{} of {} pages have no text layer (need OCR): {}{}",
                unread.len(),
                texts.len(),
                page_list(&unread),
                if options.mode == OcrMode::Never {
                    String::new()
                } else {
                    format!("; {why}")
                }
            ));
        }
    } else if !wanted.is_empty() {
        let cache = PageCache::new(pdf, options);
        let results: Vec<(usize, Result<OcrText, String>)> = wanted
            .par_iter()
            .map(|(i, _)| {
                let page = *i as u32 + 1;
                if let Some(kept) = cache.as_ref().and_then(|c| c.get(page)) {
                    return (*i, Ok(kept));
                }
                if crate::interrupt::requested() {
                    return (*i, Err(INTERRUPTED.to_string()));
                }
                let result = recognise_page(pdf, page, options);
                if let (Some(c), Ok(ocr)) = (&cache, &result) {
                    c.put(page, ocr);
                }
                PAGES_RECOGNISED.fetch_add(1, Ordering::Relaxed);
                (*i, result)
            })
            .collect();
        if crate::interrupt::requested() {
            // The document is dropped, not stored half read; the next run reads it again.
            return Err(DocError::Interrupted);
        }
        for (i, result) in results {
            match result {
                Ok(ocr) => {
                    let q = text_quality(&ocr.text);
                    texts[i] = ocr.text;
                    sources[i] = PageSource {
                        page: i as u32 + 1,
                        source: "ocr".into(),
                        words: Some(q.words),
                        dictionary_share: q.share().map(round2),
                        ocr_confidence: ocr.confidence,
                    };
                }
                Err(e) => {
                    warnings.push(format!("page {}: OCR failed: {e}", i + 1));
                    if texts[i].trim().is_empty() {
                        sources[i].source = "needs_ocr".into();
                    }
                }
            }
        }
    }
    if texts.iter().all(|t| t.trim().is_empty()) {
        let with_images = images.iter().filter(|&&b| b).count();
        let mut detail = format!("{} page(s), {} with images only", texts.len(), with_images);
        match &unavailable {
            Some(why) if options.mode != OcrMode::Never => {
                detail.push_str(&format!("; {why} ({INSTALL_HINT})"))
            }
            Some(_) => {}
            None => {
                if let Some(first) = warnings.iter().find(|w| w.contains("OCR failed")) {
                    detail.push_str(&format!("; {first}"));
                }
            }
        }
        return Err(DocError::NoTextLayer(detail));
    }
    Ok(Pages {
        texts,
        sources,
        warnings,
    })
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// The document-level flag from its pages (see [`Quality`]).
pub fn quality(pages: &[PageSource]) -> Quality {
    let mut needs_ocr = Vec::new();
    let mut review = Vec::new();
    for p in pages {
        match p.source.as_str() {
            "needs_ocr" => needs_ocr.push(p.page),
            "ocr" => {
                if let Some(c) = p.ocr_confidence.filter(|&c| c < REVIEW_CONFIDENCE) {
                    review.push(format!("page {}: OCR confidence {c:.0}", p.page));
                } else if let Some(s) = p.dictionary_share.filter(|&s| s < REVIEW_DICTIONARY_SHARE)
                {
                    review.push(format!(
                        "page {}: OCR text with {:.0} % Danish words",
                        p.page,
                        s * 100.0
                    ));
                }
            }
            "text_layer" => {
                if let Some(s) = p.dictionary_share.filter(|&s| s < MIN_DICTIONARY_SHARE) {
                    review.push(format!(
                        "page {}: text layer with {:.0} % Danish words",
                        p.page,
                        s * 100.0
                    ));
                }
            }
            _ => {}
        }
    }
    if !needs_ocr.is_empty() {
        let mut reasons = vec![format!(
            "page(s) {} not read: need OCR",
            page_list(&needs_ocr)
        )];
        reasons.extend(review);
        return Quality {
            flag: "needs_ocr".into(),
            reasons,
        };
    }
    Quality {
        flag: if review.is_empty() { "good" } else { "review" }.into(),
        reasons: review,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn danish_text_reads_as_words_and_garbage_does_not() {
        let clean = text_quality(
            "Databehandleren skal uden unødig forsinkelse underrette den dataansvarlige \
             om brud på persondatasikkerheden, jf. pkt. 11.2.",
        );
        assert!(clean.share().is_some_and(|s| s > 0.9), "{clean:?}");
        let garbage = text_quality(
            "Dgtgbghgndlgrgn skgl udgn unqdlg fqrslnkglsg undgrrgttg dgn dgtggnsvgrllgg \
             qm brvd pg pgrsqndgtgslkkgrhgdgn xq1 tl1e ,,; ~~ ||",
        );
        assert!(garbage.share().is_some_and(|s| s < 0.3), "{garbage:?}");
        assert_eq!(text_quality("3.4.2 24 2019 38120689").words, 0);
    }

    #[test]
    fn pages_are_judged_on_their_text_layer() {
        let q = |t: &str| text_quality(t);
        let good = "Databehandleren behandler personoplysninger på vegne af den dataansvarlige \
                    og efter dennes instruks, jf. aftalens bilag.";
        assert_eq!(needs_ocr(good, false, &q(good), OcrMode::Auto), None);
        assert_eq!(needs_ocr(good, true, &q(good), OcrMode::Auto), None);
        assert!(needs_ocr(good, false, &q(good), OcrMode::Always).is_some());
        assert!(needs_ocr("", true, &q(""), OcrMode::Auto).is_some());
        assert_eq!(needs_ocr("  \n", false, &q(""), OcrMode::Always), None);
        assert!(needs_ocr("Side 3", true, &q("Side 3"), OcrMode::Auto).is_some());
        let symbols = "\u{e001}\u{e002}\u{e003} ".repeat(40);
        assert!(needs_ocr(&symbols, false, &q(&symbols), OcrMode::Auto).is_some());
        let english = "The processor shall notify the controller without undue delay after \
                       becoming aware of a personal data breach, and assist the controller.";
        assert_eq!(needs_ocr(english, false, &q(english), OcrMode::Auto), None);
    }

    #[test]
    fn tsv_becomes_lines_and_paragraphs_with_a_mean_confidence() {
        let tsv = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n\
                   1\t1\t0\t0\t0\t0\t0\t0\t100\t100\t-1\t\n\
                   5\t1\t1\t1\t1\t1\t100\t100\t30\t20\t90\t11\n\
                   5\t1\t1\t1\t1\t2\t140\t100\t200\t20\t80\tSikkerhedsbrud\n\
                   5\t1\t1\t1\t2\t1\t100\t125\t40\t20\t70\t11.1\n\
                   5\t1\t2\t1\t1\t1\t100\t200\t60\t20\t60\tBilag\n\
                   5\t1\t2\t1\t1\t2\t170\t200\t1\t20\t-1\t \n\
                   garbage row\n";
        let page = parse_tsv(tsv);
        assert_eq!(page.text, "11 Sikkerhedsbrud\n11.1\n\nBilag\n");
        assert_eq!((page.words, page.confidence), (4, Some(75.0)));
        assert_eq!(parse_tsv("").confidence, None);
    }

    #[test]
    fn a_table_on_a_scan_comes_out_as_tab_separated_rows() {
        // Tesseract puts each column of the table in its own block.
        let mut tsv = String::from("level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n");
        let rows = [["Navn", "Land"], ["Microsoft", "Irland"], ["Twilio", "USA"]];
        for (r, row) in rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                let (left, top) = (100 + 600 * c, 300 + 60 * r);
                tsv.push_str(&format!(
                    "5\t1\t{}\t1\t{}\t1\t{left}\t{top}\t200\t30\t91\t{cell}\n",
                    c + 2,
                    r + 1
                ));
            }
        }
        tsv.push_str("5\t1\t1\t1\t1\t1\t100\t100\t400\t30\t90\tUnderdatabehandlere\n");
        let page = parse_tsv(&tsv);
        assert_eq!(
            page.text,
            "Underdatabehandlere\n\nNavn\tLand\nMicrosoft\tIrland\nTwilio\tUSA\n"
        );
    }

    #[test]
    fn clause_numbers_read_in_pieces_are_joined_at_line_starts() {
        let tidy = |words: &[&str]| {
            let line: Vec<(&str, f64)> = words.iter().map(|w| (*w, 90.0)).collect();
            tidy_line_start(&line)
        };
        assert_eq!(tidy(&["3.", "1.", "Tekniske"]), "3.1. Tekniske");
        assert_eq!(
            tidy(&["3", "2.1.", "Databehandleren"]),
            "3.2.1. Databehandleren"
        );
        assert_eq!(
            tidy(&["3,", "4.", "1.", "Databehandleren"]),
            "3.4.1. Databehandleren"
        );
        assert_eq!(tidy(&["3,4.", "Sikkerhedsbrud"]), "3.4. Sikkerhedsbrud");
        assert_eq!(
            tidy(&["3.1:", "3.", "Databehandleren"]),
            "3.1.3. Databehandleren"
        );
        assert_eq!(tidy(&["'", "3.", "1.4.", "Parterne"]), "3.1.4. Parterne");
        assert_eq!(tidy(&["2.", "3", "dage"]), "2. 3 dage");
        assert_eq!(tidy(&["3,5", "mio."]), "3,5 mio.");
        assert_eq!(tidy(&["11.2", "Databehandleren"]), "11.2 Databehandleren");
        assert_eq!(tidy(&["01.06.2023", "Troels"]), "01.06.2023 Troels");
        assert_eq!(tidy(&["5."]), "5.");
        let specks = [("KEN", 16.0), ("3", 70.0), ("2.1.", 94.0), ("Data", 90.0)];
        assert_eq!(tidy_line_start(&specks), "3.2.1. Data");
        let word = [("og", 40.0), ("mere", 90.0)];
        assert_eq!(tidy_line_start(&word), "og mere");
    }

    #[test]
    fn quality_flags_what_to_check() {
        let page = |n, source: &str, share, conf| PageSource {
            page: n,
            source: source.into(),
            words: Some(100),
            dictionary_share: share,
            ocr_confidence: conf,
        };
        let good = quality(&[
            page(1, "text_layer", Some(0.95), None),
            page(2, "ocr", Some(0.9), Some(91.0)),
        ]);
        assert_eq!((good.flag.as_str(), good.reasons.len()), ("good", 0));
        let review = quality(&[page(1, "ocr", Some(0.9), Some(62.0))]);
        assert_eq!(review.flag, "review");
        assert_eq!(review.reasons, ["page 1: OCR confidence 62"]);
        let unread = quality(&[
            page(1, "text_layer", Some(0.9), None),
            page(2, "needs_ocr", None, None),
        ]);
        assert_eq!(unread.flag, "needs_ocr");
    }

    #[test]
    fn with_ocr_off_an_image_only_pdf_needs_ocr() {
        let read = PdfPages {
            pages: vec!["\n".into(), "\n".into()],
            warnings: vec![],
            images: vec![true, true],
        };
        let err = read_pages(b"", read, &OcrOptions::default()).expect_err("no text");
        assert_eq!(
            err.to_string(),
            "no text layer (needs OCR): 2 page(s), 2 with images only"
        );
    }

    #[test]
    fn with_ocr_off_a_mixed_pdf_keeps_its_text_pages() {
        let typed = "Databehandleren behandler personoplysninger på vegne af den dataansvarlige \
                     og efter dennes instruks, jf. aftalens bilag.";
        let read = PdfPages {
            pages: vec![typed.into(), String::new()],
            warnings: vec![],
            images: vec![false, true],
        };
        let pages = read_pages(b"", read, &OcrOptions::default()).expect("text");
        let sources: Vec<&str> = pages.sources.iter().map(|p| p.source.as_str()).collect();
        assert_eq!(sources, ["text_layer", "needs_ocr"]);
        assert_eq!(
            pages.warnings,
            ["1 of 2 pages have no text layer (need OCR): 2"]
        );
        assert_eq!(quality(&pages.sources).flag, "needs_ocr");
    }
}
