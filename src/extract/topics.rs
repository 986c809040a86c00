//! Clause topics (placeholder; see issue 4).
