//! Text file bytes → a Unicode string, with the encoding detected, never asked for.
//!
//! Order of evidence: a byte-order mark (UTF-8, UTF-16LE/BE); UTF-16 without a mark (NUL bytes
//! in every other position); valid UTF-8; otherwise a legacy single-byte encoding guessed by
//! `chardetng` with the `.dk` hint (Danish exports are mostly Windows-1252 / Latin-1, which that
//! guess gets right for æøå). Bytes that are mostly control characters are refused as binary.

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8};

use crate::error::DocError;

/// A decoded text file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodedText {
    pub text: String,
    /// Name of the encoding that was used (`UTF-8`, `UTF-16LE`, `windows-1252`, …).
    pub encoding: &'static str,
    pub warnings: Vec<String>,
}

/// Decode the bytes of a text file.
pub fn decode(bytes: &[u8]) -> Result<DecodedText, DocError> {
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        return finish(encoding, &bytes[bom_len..], "byte-order mark");
    }
    if let Some(encoding) = utf16_without_bom(bytes) {
        return finish(encoding, bytes, "NUL pattern");
    }
    if let Some(pos) = bytes.iter().position(|&b| b == 0) {
        return Err(DocError::Binary(format!("NUL byte at offset {pos}")));
    }
    if std::str::from_utf8(bytes).is_ok() {
        return finish(UTF_8, bytes, "valid UTF-8");
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    let encoding = detector.guess(Some(b"dk"), chardetng::Utf8Detection::Deny);
    finish(encoding, bytes, "guessed")
}

fn finish(encoding: &'static Encoding, bytes: &[u8], how: &str) -> Result<DecodedText, DocError> {
    let (text, had_errors) = encoding.decode_without_bom_handling(bytes);
    let mut warnings = Vec::new();
    if had_errors {
        warnings.push(format!(
            "some bytes are not valid {} ({how}); they were replaced with U+FFFD",
            encoding.name()
        ));
    }
    let text = text.into_owned();
    let total = text.chars().count();
    let control = text
        .chars()
        .filter(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{c}'))
        .count();
    let replaced = text.chars().filter(|&c| c == '\u{fffd}').count();
    if total > 0 && (control * 20 > total || replaced * 10 > total) {
        return Err(DocError::Binary(format!(
            "{}% control or undecodable characters as {}",
            (control + replaced) * 100 / total,
            encoding.name()
        )));
    }
    Ok(DecodedText {
        text,
        encoding: encoding.name(),
        warnings,
    })
}

/// UTF-16 without a BOM shows as NUL bytes in the high half of ASCII characters.
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static Encoding> {
    if bytes.len() < 4 || !bytes.len().is_multiple_of(2) {
        return None;
    }
    let sample = &bytes[..bytes.len().min(4096)];
    let pairs = sample.len() / 2;
    let even_nul = sample.iter().step_by(2).filter(|&&b| b == 0).count();
    let odd_nul = sample
        .iter()
        .skip(1)
        .step_by(2)
        .filter(|&&b| b == 0)
        .count();
    // Most characters of a Danish text are ASCII: their other byte is NUL.
    if odd_nul * 10 >= pairs * 6 && even_nul * 10 < pairs {
        Some(UTF_16LE)
    } else if even_nul * 10 >= pairs * 6 && odd_nul * 10 < pairs {
        Some(UTF_16BE)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DANISH: &str =
        "Databehandleren skal straks underrette den dataansvarlige. Ærø, Øresund, Århus: særlige forhold.";

    #[test]
    fn utf8_with_and_without_bom() {
        let plain = decode(DANISH.as_bytes()).unwrap();
        assert_eq!((plain.text.as_str(), plain.encoding), (DANISH, "UTF-8"));
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice(DANISH.as_bytes());
        assert_eq!(decode(&bom).unwrap().text, DANISH);
    }

    #[test]
    fn utf16_with_bom_both_orders() {
        for (encoding, bom) in [(UTF_16LE, [0xFF, 0xFE]), (UTF_16BE, [0xFE, 0xFF])] {
            let units: Vec<u16> = DANISH.encode_utf16().collect();
            let mut bytes = bom.to_vec();
            for u in units {
                let pair = if encoding == UTF_16LE {
                    u.to_le_bytes()
                } else {
                    u.to_be_bytes()
                };
                bytes.extend_from_slice(&pair);
            }
            let decoded = decode(&bytes).unwrap();
            assert_eq!(decoded.text, DANISH);
            assert_eq!(decoded.encoding, encoding.name());
        }
    }

    #[test]
    fn utf16le_without_bom() {
        let bytes: Vec<u8> = DANISH.encode_utf16().flat_map(u16::to_le_bytes).collect();
        assert_eq!(decode(&bytes).unwrap().text, DANISH);
    }

    #[test]
    fn windows_1252_danish_letters_come_out_right() {
        let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(DANISH);
        assert!(std::str::from_utf8(&bytes).is_err());
        let decoded = decode(&bytes).unwrap();
        assert_eq!(decoded.text, DANISH);
        assert_eq!(decoded.encoding, "windows-1252");
    }

    #[test]
    fn latin1_bytes_decode_as_danish() {
        // ISO-8859-1 and Windows-1252 agree on æøåÆØÅ.
        let bytes = b"S\xe6rlige personoplysninger \xf8nskes slettet p\xe5 anmodning. \xc6ndring af \xd8konomi \xc5r.";
        assert_eq!(
            decode(bytes).unwrap().text,
            "Særlige personoplysninger ønskes slettet på anmodning. Ændring af Økonomi År."
        );
    }

    #[test]
    fn binary_is_refused() {
        let bytes: Vec<u8> = (0u32..2000)
            .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
            .collect();
        assert!(matches!(decode(&bytes), Err(DocError::Binary(_))));
    }
}
