use super::*;
use crate::record::SourceFormat;
use crate::source::ReadOptions;

fn reviewed(text: &str) -> Review {
    let record = crate::pipeline::analyse(
        "t.txt",
        text.as_bytes(),
        SourceFormat::Text,
        &ReadOptions::default(),
    )
    .expect("analyse");
    review(&record, &Playbook::default_playbook())
}

fn status(r: &Review, id: &str) -> ReviewStatus {
    r.item(id).expect(id).status
}

#[test]
fn every_pattern_compiles() {
    for cue in Cue::ALL {
        assert!(!cue.rules().is_empty());
    }
    LazyLock::force(&GENERAL);
    LazyLock::force(&SPECIFIC);
    LazyLock::force(&BOTH_KINDS);
}
