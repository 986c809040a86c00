//! Shared helpers: paths into the repository and a scratch folder per test.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

pub fn repo(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// The `aftale` binary, with a clean environment for its output.
pub fn aftale() -> Command {
    Command::cargo_bin("aftale").expect("binary is built")
}

/// Copy `from` (a file or folder) into `to`, creating folders as needed.
pub fn copy_tree(from: &Path, to: &Path) {
    if from.is_dir() {
        std::fs::create_dir_all(to).expect("mkdir");
        for entry in std::fs::read_dir(from).expect("readdir") {
            let entry = entry.expect("entry");
            copy_tree(&entry.path(), &to.join(entry.file_name()));
        }
    } else {
        std::fs::copy(from, to).expect("copy");
    }
}

/// Parse JSON Lines.
pub fn json_lines<T: serde::de::DeserializeOwned>(stdout: &[u8]) -> Vec<T> {
    String::from_utf8_lossy(stdout)
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("bad JSON line {l}: {e}")))
        .collect()
}

/// Run a command that must succeed; its stdout.
pub fn stdout_of(cmd: &mut Command) -> Vec<u8> {
    let out = cmd.output().expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// Ingest `doc` into the index at `index` (a new version when its content changed).
pub fn ingest(doc: &Path, index: &Path) {
    stdout_of(aftale().arg("ingest").arg(doc).arg("--index").arg(index));
}

/// A small deterministic generator (xorshift) for the mutation tests, so that a failure can be
/// reproduced from its seed.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// A number below `n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Chromium on this machine, if any. `.ci/run` installs it and sets `AFTALE_REQUIRE_CHROMIUM`,
/// so that there the browser test cannot be skipped.
pub fn chromium() -> Option<std::path::PathBuf> {
    let found = ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .find_map(|name| {
            std::env::var_os("PATH").and_then(|paths| {
                std::env::split_paths(&paths)
                    .map(|p| p.join(name))
                    .find(|p| p.is_file())
            })
        });
    if found.is_none() {
        assert!(
            std::env::var_os("AFTALE_REQUIRE_CHROMIUM").is_none(),
            "AFTALE_REQUIRE_CHROMIUM is set but chromium is not installed"
        );
        eprintln!("chromium not installed: skipping the browser test (apt-get install chromium)");
    }
    found
}

pub fn headless(browser: &std::path::Path, profile: &std::path::Path) -> std::process::Command {
    let mut cmd = std::process::Command::new(browser);
    cmd.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
    ])
    .arg(format!("--user-data-dir={}", profile.display()));
    cmd
}

/// A screenshot of a page by headless Chromium, as a count of pixels of each colour asked for.
pub fn screenshot_colours(
    browser: &Path,
    profile: &Path,
    url: &str,
    shot: &Path,
    window: &str,
    colours: &[[u8; 3]],
) -> Vec<usize> {
    let status = headless(browser, profile)
        .arg(format!("--screenshot={}", shot.display()))
        .args([&format!("--window-size={window}"), url])
        .output()
        .expect("run chromium");
    assert!(
        shot.is_file(),
        "no screenshot: {}",
        String::from_utf8_lossy(&status.stderr)
    );
    let decoder = png::Decoder::new(std::io::BufReader::new(
        std::fs::File::open(shot).expect("open"),
    ));
    let mut reader = decoder.read_info().expect("png");
    let mut pixels = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut pixels).expect("frame");
    let channels = info.color_type.samples();
    colours
        .iter()
        .map(|rgb| {
            pixels[..info.buffer_size()]
                .chunks(channels)
                .filter(|p| p[..3] == *rgb)
                .count()
        })
        .collect()
}
