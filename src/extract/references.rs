//! Cross-references (placeholder; see issue 4).
