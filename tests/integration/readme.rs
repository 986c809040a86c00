//! The usage examples of README.md, run: every `console` block's `$ command` is run with
//! `aftale` on the PATH, from a folder holding copies of `corpus/`, `fixtures/inputs/`,
//! `fixtures/diff/` and `fixtures/real/text/`, in README order. The lines shown under a command must appear in its output
//! in the same order (durations and scores aside); `# exit N` on the command line gives the
//! expected exit status.

use std::path::Path;
use std::process::Command;

use regex::Regex;
use tempfile::TempDir;

use crate::util::{copy_tree, repo};

struct Example {
    command: String,
    exit: i32,
    expected: Vec<String>,
}

fn examples(readme: &str) -> Vec<Example> {
    let mut out: Vec<Example> = Vec::new();
    let mut in_console = false;
    for line in readme.lines() {
        if line.starts_with("```") {
            in_console = !in_console && line.trim() == "```console";
            continue;
        }
        if !in_console {
            continue;
        }
        if let Some(command) = line.strip_prefix("$ ") {
            let exit = command
                .split_once("# exit ")
                .and_then(|(_, code)| code.trim().parse().ok())
                .unwrap_or(0);
            out.push(Example {
                command: command.to_string(),
                exit,
                expected: Vec::new(),
            });
        } else if let Some(example) = out.last_mut() {
            example.expected.push(line.to_string());
        }
    }
    out
}

/// Whitespace collapsed, durations and import times masked.
fn normal(line: &str) -> String {
    // Durations and relevance scores vary from run to run and index to index.
    let seconds =
        Regex::new(r#"\d+\.\d+ s\b|"seconds":[0-9.]+|\[\d+\.\d+\]|\d{4}-\d\d-\d\d \d\d:\d\d"#)
            .expect("regex");
    // CSV output starts with a byte order mark, which a README cannot show.
    let line = line.trim_start_matches('\u{feff}');
    let line = line.split_whitespace().collect::<Vec<_>>().join(" ");
    seconds.replace_all(&line, "<time>").into_owned()
}

#[test]
fn readme_examples_are_true() {
    let readme = std::fs::read_to_string(repo("README.md")).expect("README.md");
    let examples = examples(&readme);
    assert!(examples.len() >= 5, "README has its examples");
    let dir = TempDir::new().expect("tempdir");
    copy_tree(&repo("corpus"), &dir.path().join("corpus"));
    for fixtures in ["fixtures/inputs", "fixtures/diff", "fixtures/real/text"] {
        copy_tree(&repo(fixtures), &dir.path().join(fixtures));
    }
    let bin = assert_cmd::cargo::cargo_bin("aftale");
    let bin_dir = bin.parent().unwrap_or(Path::new("."));
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    for example in examples {
        let out = Command::new("sh")
            .arg("-c")
            .arg(&example.command)
            .current_dir(dir.path())
            .env("PATH", &path)
            .env_remove("COLUMNS")
            .output()
            .expect("run sh");
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(
            out.status.code(),
            Some(example.exit),
            "`{}` exit status; output:\n{text}",
            example.command
        );
        let got: Vec<String> = text.lines().map(normal).collect();
        let mut at = 0;
        for want in example.expected.iter().map(|l| normal(l)) {
            match got[at..].iter().position(|g| *g == want) {
                Some(i) => at += i + 1,
                None => panic!(
                    "`{}`: README shows\n  {want}\nbut the output is\n{text}",
                    example.command
                ),
            }
        }
    }
}
