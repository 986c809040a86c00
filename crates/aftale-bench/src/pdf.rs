//! Agreements as PDFs, written with `lopdf` (pure Rust): A4 pages of 10-point Helvetica, one
//! text line per printed line, long lines wrapped at a word, 60 lines a page, page streams
//! Flate-compressed as most producers do.
//!
//! The font is one of the standard 14 (no font file embedded) with `/WinAnsiEncoding`, so the
//! text is written as Windows-1252 bytes and æ, ø, å, “ ” and – come back out of any reader;
//! characters Windows-1252 lacks become `?`. No dates or ids are written: same text, same bytes.

use std::sync::LazyLock;

use lopdf::content::{Content, Operation};
use lopdf::{dictionary, Document, Object, Stream};

/// Characters per printed line before a line is wrapped.
const LINE_CHARS: usize = 95;
const LINES_PER_PAGE: usize = 60;
const FONT_SIZE: i64 = 10;
const LEADING: i64 = 12;
const LEFT: i64 = 50;
const TOP: i64 = 800;

/// The Windows-1252 byte of each character in 0x80–0xFF.
static HIGH_BYTES: LazyLock<Vec<(char, u8)>> = LazyLock::new(|| {
    let mut table: Vec<(char, u8)> = (0x80u8..=0xFF)
        .filter_map(|b| {
            let (decoded, had_errors) =
                encoding_rs::WINDOWS_1252.decode_without_bom_handling(std::slice::from_ref(&b));
            let c = decoded.chars().next()?;
            (!had_errors && c != '\u{FFFD}').then_some((c, b))
        })
        .collect();
    table.sort();
    table
});

/// `text` as Windows-1252 bytes; characters it cannot hold become `?`.
pub fn to_windows_1252(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| {
            if c.is_ascii() {
                c as u8
            } else {
                HIGH_BYTES
                    .binary_search_by_key(&c, |&(k, _)| k)
                    .ok()
                    .and_then(|i| HIGH_BYTES.get(i))
                    .map_or(b'?', |&(_, b)| b)
            }
        })
        .collect()
}

/// The printed lines of `text`: its lines, each wrapped at a space before [`LINE_CHARS`].
fn printed_lines(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in text.lines() {
        let mut current = String::new();
        let mut count = 0usize;
        for word in line.split(' ') {
            let n = word.chars().count();
            if count > 0 && count + 1 + n > LINE_CHARS {
                out.push(std::mem::take(&mut current));
                count = 0;
            }
            if count > 0 {
                current.push(' ');
                count += 1;
            }
            current.push_str(word);
            count += n;
        }
        out.push(current);
    }
    out
}

/// A PDF of `text`: one page per [`LINES_PER_PAGE`] printed lines.
pub fn agreement_pdf(text: &str) -> Vec<u8> {
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let font_id = doc.add_object(dictionary! {
        "Type" => "Font",
        "Subtype" => "Type1",
        "BaseFont" => "Helvetica",
        "Encoding" => "WinAnsiEncoding",
    });
    let resources_id = doc.add_object(dictionary! {
        "Font" => dictionary! { "F1" => font_id },
    });
    let lines = printed_lines(text);
    let mut kids = Vec::new();
    for chunk in lines.chunks(LINES_PER_PAGE) {
        let mut ops = vec![
            Operation::new("BT", vec![]),
            Operation::new("Tf", vec!["F1".into(), FONT_SIZE.into()]),
            Operation::new("TL", vec![LEADING.into()]),
            Operation::new("Td", vec![LEFT.into(), TOP.into()]),
        ];
        for line in chunk {
            ops.push(Operation::new(
                "Tj",
                vec![Object::string_literal(to_windows_1252(line))],
            ));
            ops.push(Operation::new("T*", vec![]));
        }
        ops.push(Operation::new("ET", vec![]));
        let content = Content { operations: ops };
        // Encoding a content stream of plain operators cannot fail; an empty page if it did.
        let mut stream = Stream::new(dictionary! {}, content.encode().unwrap_or_default());
        let _ = stream.compress();
        let content_id = doc.add_object(stream);
        let page_id = doc.add_object(dictionary! {
            "Type" => "Page",
            "Parent" => pages_id,
            "Contents" => content_id,
            "Resources" => resources_id,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        });
        kids.push(Object::from(page_id));
    }
    let count = kids.len() as i64;
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages",
            "Kids" => kids,
            "Count" => count,
        }),
    );
    let catalog_id = doc.add_object(dictionary! {
        "Type" => "Catalog",
        "Pages" => pages_id,
    });
    doc.trailer.set("Root", catalog_id);
    let mut bytes = Vec::new();
    // Writing into a Vec cannot fail.
    let _ = doc.save_to(&mut bytes);
    bytes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn danish_letters_survive_windows_1252() {
        assert_eq!(to_windows_1252("æøå ÆØÅ"), b"\xe6\xf8\xe5 \xc6\xd8\xc5");
        assert_eq!(to_windows_1252("“x” – €"), b"\x93x\x94 \x96 \x80");
        assert_eq!(to_windows_1252("≥ 1"), b"? 1");
    }

    #[test]
    fn long_lines_wrap_at_a_word() {
        let line = "ord ".repeat(60);
        let lines = printed_lines(&line);
        assert!(lines.len() >= 2);
        assert!(lines.iter().all(|l| l.chars().count() <= LINE_CHARS));
    }

    /// The PDF reads back, through the same reader `aftale` uses, with its Danish letters.
    #[test]
    fn the_pdf_reads_back() {
        let text = "1. Formål\n\n1.1. Databehandleren behandler personoplysninger på vegne af den dataansvarlige, jf. “Hovedaftalen” – særligt ØKONOMI og Århus.\n";
        let bytes = agreement_pdf(&text.repeat(30));
        let pages = aftale::source::pdf::read_pdf_bytes(&bytes).expect("readable");
        assert!(pages.pages.len() >= 2, "{}", pages.pages.len());
        let all = pages.pages.join("\n");
        assert!(all.contains("Formål"), "{all}");
        assert!(all.contains("særligt ØKONOMI og Århus"), "{all}");
        assert!(all.contains("“Hovedaftalen” –"), "{all}");
        assert_eq!(agreement_pdf(text), agreement_pdf(text));
    }
}
