//! OCR damage model (placeholder; see issue 4).
