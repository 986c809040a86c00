//! The review matrix as a table: one row per agreement with its item statuses, the counts of
//! missing and weak items, and the key terms as text.

use crate::record::{Review, ReviewStatus};
use crate::review::report::{self, TERM_COLUMNS};

/// The missing and weak items of a review.
pub fn counts(r: &Review) -> (usize, usize) {
    let n = |s| r.items.iter().filter(|i| i.status == s).count();
    (n(ReviewStatus::Missing), n(ReviewStatus::Weak))
}

/// The CSV columns: the document, one per checklist item (the first review's, as a playbook may
/// add items), the counts, the key terms.
pub fn header(reviews: &[Review]) -> Vec<String> {
    let mut header: Vec<String> = ["document_id", "agreement", "path"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    if let Some(first) = reviews.first() {
        header.extend(first.items.iter().map(|i| i.id.clone()));
    }
    header.push("missing".to_string());
    header.push("weak".to_string());
    header.extend(TERM_COLUMNS.iter().map(|(name, _)| name.to_string()));
    header
}

/// One agreement's row, in [`header`] order.
pub fn row(r: &Review) -> Vec<String> {
    let mut row = vec![
        r.document.id.clone(),
        report::agreement_name(r),
        r.document.path.clone(),
    ];
    row.extend(r.items.iter().map(|i| i.status.as_str().to_string()));
    let (missing, weak) = counts(r);
    row.push(missing.to_string());
    row.push(weak.to_string());
    row.extend(report::term_cells(&r.key_terms));
    row
}
