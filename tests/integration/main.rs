//! End-to-end tests, compiled into one binary: the `aftale` command over the fixtures, and
//! extraction quality scored against the gold annotations in `fixtures/gold`.

mod cli_extract;
mod cli_ingest;
mod cli_subprocessors;
mod dataset;
mod deadlines_who;
mod diff;
mod diff_history;
mod diff_versions;
mod export;
mod fuzz;
mod gold;
mod hostile;
mod layout;
mod lifecycle;
mod ocr;
mod ocr_repair;
mod parties;
mod properties;
mod readme;
mod real;
mod reliability;
mod reports;
mod review;
mod search;
mod search_answers;
mod serve;
mod spark;
mod table_shapes;
mod tables;
mod util;
