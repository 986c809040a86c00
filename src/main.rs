//! The `aftale` command: see `aftale --help`.

fn main() {
    // A file-size limit (`ulimit -f`, a full quota) must surface as a write error with its
    // reason, not as a signal that kills the process mid-commit.
    #[cfg(unix)]
    // SAFETY: setting a signal's disposition to "ignore" before any thread starts.
    unsafe {
        libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
    }
    std::process::exit(aftale::cli::main());
}
