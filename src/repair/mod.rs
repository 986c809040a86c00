//! OCR repair (placeholder; see issue 4).

/// Repair OCR damage in Danish text; returns the text unchanged for now.
pub fn repair(text: &str) -> String {
    text.to_string()
}
