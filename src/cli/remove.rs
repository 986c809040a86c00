//! `aftale remove DOC`: retire a document (stub).

use super::{IndexArgs, EXIT_OK};
use crate::error::Error;

#[derive(Debug, clap::Args)]
pub(super) struct Args {
    #[command(flatten)]
    index: IndexArgs,
}

pub(super) fn run(args: Args) -> Result<i32, Error> {
    let _ = args.index;
    Ok(EXIT_OK)
}
