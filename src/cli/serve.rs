//! `aftale serve [--index DIR] [--bind ADDR] [--token T] [--open]`: the index as a local web
//! app (see [`crate::web`]). Prints its URL on stdout, serves until Ctrl-C (exit 130) or SIGTERM
//! (exit 0).

use std::net::SocketAddr;
use std::path::PathBuf;

use super::{IndexArgs, EXIT_INTERRUPTED, EXIT_OK};
use crate::error::Error;
use crate::web::{self, ServeOptions, Stopped, DEFAULT_BIND, TOKEN_ENV};

#[derive(Debug, clap::Args)]
#[command(
    after_help = "Pages: / (search), /doc/ID (an agreement), /diff/OLD/NEW, /subprocessors, \
    /deadlines, /review, /imports; add ?lang=en for English. Each table page has CSV and JSON \
    downloads, the same as the command line's --csv and --json.\n\n\
    The app only reads the index: run `aftale ingest` beside it, and new documents show once \
    that import commits. It binds to loopback unless told otherwise; any other address needs a \
    token (--token or the AFTALE_TOKEN environment variable), which every request must then \
    carry (the login page sets a cookie; scripts send `Authorization: Bearer TOKEN`).\n\n\
    Examples:\n  aftale serve\n  aftale serve --bind 127.0.0.1:0\n  \
    AFTALE_TOKEN=… aftale serve --bind 0.0.0.0:8940"
)]
pub(super) struct Args {
    #[command(flatten)]
    index: IndexArgs,
    /// Address and port to listen on (port 0: any free port)
    #[arg(long, value_name = "ADDR:PORT", default_value = DEFAULT_BIND)]
    bind: SocketAddr,
    /// Require this token of every request (needed to bind a non-loopback address); the
    /// AFTALE_TOKEN environment variable is read when it is not given
    #[arg(long, value_name = "TOKEN", env = TOKEN_ENV, hide_env_values = true)]
    token: Option<String>,
    /// The review playbook (TOML) the review pages use; the default is built in
    #[arg(long, value_name = "FILE")]
    playbook: Option<PathBuf>,
    /// Open the app in the default browser once it listens
    #[arg(long)]
    open: bool,
}

pub(super) fn run(args: Args) -> Result<i32, Error> {
    let open = args.open;
    let stopped = web::serve(
        ServeOptions {
            index: args.index.index,
            bind: args.bind,
            token: args.token,
            playbook: args.playbook,
        },
        |url| {
            println!("{url}");
            eprintln!("aftale: serving {url} (Ctrl-C stops)");
            if open {
                open_browser(url);
            }
        },
    )?;
    Ok(match stopped {
        Stopped::Interrupted => EXIT_INTERRUPTED,
        Stopped::Terminated => EXIT_OK,
    })
}

/// Ask the desktop to open `url`; say so when it cannot (the URL is printed either way).
fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if let Err(e) = std::process::Command::new(opener)
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
    {
        eprintln!("aftale: cannot open a browser ({opener}: {e}); open {url} yourself");
    }
}
