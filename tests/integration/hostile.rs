//! Hostile and broken input in one batch: mutated copies of the PDF fixtures (bit flips,
//! truncation, a deleted cross-reference table, duplicated objects), a PDF whose form XObject
//! draws itself, a 10,000-page PDF, a 200 MB file, an empty file, a named pipe, a link loop, a
//! link out of the folder, an unreadable file and a file name that is not UTF-8. The import
//! must end, in bounded time, with every input listed exactly once: indexed, or failed or
//! skipped with its reason.
//!
//! CI runs 150 mutations; `AFTALE_MUTATIONS=1000 cargo test --release hostile -- --nocapture`
//! runs the full set and prints the counts.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::util::{json_lines, repo, Rng};

/// One mutation of a PDF's bytes.
fn mutate(bytes: &[u8], rng: &mut Rng) -> Vec<u8> {
    let mut out = bytes.to_vec();
    match rng.below(5) {
        0 => {
            for _ in 0..1 + rng.below(20) {
                let at = rng.below(out.len());
                out[at] ^= 1 << rng.below(8);
            }
        }
        1 => out.truncate(rng.below(out.len())),
        2 => {
            // The cross-reference table gone (its keyword overwritten).
            let text = String::from_utf8_lossy(&out).into_owned();
            if let Some(at) = text.rfind("xref") {
                out[at..at + 4].copy_from_slice(b"XXXX");
            }
        }
        3 => {
            // An object duplicated at the end, before the trailer.
            let text = String::from_utf8_lossy(&out).into_owned();
            if let (Some(start), Some(end)) = (text.find(" 0 obj"), text.find("endobj")) {
                if start < end {
                    let chunk = out[start.saturating_sub(3)..end + 6].to_vec();
                    let at = text.rfind("xref").unwrap_or(out.len());
                    out.splice(at..at, chunk);
                }
            }
        }
        _ => {
            // A run of random bytes written over the middle.
            let at = rng.below(out.len());
            for k in at..(at + 64).min(out.len()) {
                out[k] = rng.next() as u8;
            }
        }
    }
    out
}

/// A PDF from object bodies (object k is `bodies[k - 1]`), with a correct cross-reference table.
fn pdf(bodies: &[String]) -> Vec<u8> {
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (k, body) in bodies.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{body}\nendobj\n", k + 1).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", bodies.len() + 1).as_bytes(),
    );
    for o in offsets {
        out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            bodies.len() + 1
        )
        .as_bytes(),
    );
    out
}

fn stream(content: &str) -> String {
    format!(
        "<< /Length {} >>\nstream\n{content}\nendstream",
        content.len()
    )
}

/// A page whose form XObject draws itself: a reader that follows it recurses forever.
fn self_drawing_pdf() -> Vec<u8> {
    pdf(&[
        "<< /Type /Catalog /Pages 2 0 R >>".into(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".into(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /X1 5 0 R >> /Font << /F1 6 0 R >> >> /Contents 4 0 R >>".into(),
        stream("q /X1 Do Q BT /F1 12 Tf 72 720 Td (Databehandleraftale) Tj ET"),
        format!(
            "<< /Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources << /XObject << /X1 5 0 R >> >> /Length {} >>\nstream\n/X1 Do\nendstream",
            "/X1 Do".len()
        ),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".into(),
    ])
}

/// A PDF of `pages` pages, each with one line of text.
fn many_pages_pdf(pages: usize) -> Vec<u8> {
    let mut bodies = vec![String::new(), String::new(), String::new()];
    let mut kids = Vec::new();
    for k in 0..pages {
        let page_id = bodies.len() + 1;
        kids.push(format!("{page_id} 0 R"));
        bodies.push(format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents {} 0 R >>",
            page_id + 1
        ));
        bodies.push(stream(&format!(
            "BT /F1 10 Tf 72 720 Td ({}. Databehandleren behandler personoplysninger.) Tj ET",
            k + 1
        )));
    }
    bodies[0] = "<< /Type /Catalog /Pages 2 0 R >>".into();
    bodies[1] = format!(
        "<< /Type /Pages /Kids [{}] /Count {pages} >>",
        kids.join(" ")
    );
    bodies[2] = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".into();
    pdf(&bodies)
}

/// Write the hostile folder; returns it and the number of inputs the import must report.
fn hostile_folder(root: &Path, mutations: usize) -> (PathBuf, usize) {
    let dir = root.join("hostile");
    let mutated = dir.join("mutated");
    std::fs::create_dir_all(&mutated).expect("mkdir");
    let sources: Vec<Vec<u8>> = std::fs::read_dir(repo("fixtures/inputs/pdf"))
        .expect("pdf fixtures")
        .filter_map(Result::ok)
        .map(|e| std::fs::read(e.path()).expect("read"))
        .collect();
    let mut rng = Rng(0x5eed_a47a_1e00_0001);
    for k in 0..mutations {
        let source = &sources[k % sources.len()];
        std::fs::write(
            mutated.join(format!("m{k:04}.pdf")),
            mutate(source, &mut rng),
        )
        .expect("write");
    }
    let mut inputs = mutations;
    let mut add = |name: &str, bytes: &[u8]| {
        std::fs::write(dir.join(name), bytes).expect("write");
        inputs += 1;
    };
    add("self_drawing.pdf", &self_drawing_pdf());
    add("ten_thousand_pages.pdf", &many_pages_pdf(10_000));
    add("empty.pdf", b"");
    add("empty.txt", b"");
    // 200 MB (sparse): over the size limit, refused without being read.
    let huge = std::fs::File::create(dir.join("huge.txt")).expect("create");
    huge.set_len(200 << 20).expect("set_len");
    inputs += 1;
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        use std::os::unix::fs::{symlink, PermissionsExt};
        // A named pipe: opening it would wait for a writer forever.
        let fifo = dir.join("pipe.txt");
        let made = Command::new("mkfifo").arg(&fifo).status();
        if made.is_ok_and(|s| s.success()) {
            inputs += 1;
        }
        // A link loop (a folder linking to its parent) and a link out of the folder.
        std::fs::create_dir_all(dir.join("loop")).expect("mkdir");
        symlink("..", dir.join("loop/up")).expect("symlink");
        symlink(
            repo("corpus/002_57dfb51f510d3c48.txt"),
            dir.join("outside.txt"),
        )
        .expect("symlink");
        inputs += 2;
        // No read permission (root reads it anyway; anyone else gets a reason).
        let locked = dir.join("locked.txt");
        std::fs::write(&locked, "Databehandleraftale").expect("write");
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).expect("chmod");
        inputs += 1;
        // A file name that is not UTF-8.
        let name = std::ffi::OsStr::from_bytes(b"aftale_\xff\xfe.txt");
        std::fs::copy(repo("corpus/002_57dfb51f510d3c48.txt"), dir.join(name)).expect("copy");
        inputs += 1;
    }
    (dir, inputs)
}

#[test]
fn a_hostile_batch_ends_with_every_input_indexed_or_listed_with_its_reason() {
    let mutations = std::env::var("AFTALE_MUTATIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(150);
    let tmp = tempfile::tempdir().expect("tempdir");
    let (dir, expected) = hostile_folder(tmp.path(), mutations);
    let index = tmp.path().join("index");
    let started = Instant::now();
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("aftale"))
        .arg("ingest")
        .arg(&dir)
        .arg("--index")
        .arg(&index)
        .args(["--json", "--timeout", "10", "-j", "2"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("spawn");
    // The whole batch must end: per-document time-outs bound it.
    let limit = Duration::from_secs(60 + mutations as u64);
    // Read the output while the import runs: a full pipe would stop it.
    let mut stdout = child.stdout.take().expect("stdout");
    let reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        std::io::Read::read_to_end(&mut stdout, &mut buf).map(|_| buf)
    });
    // Peak memory of the import process (PDF readers are child processes, each capped).
    let mut peak_kib = 0u64;
    let status = loop {
        if let Ok(status) = std::fs::read_to_string(format!("/proc/{}/status", child.id())) {
            let hwm = status
                .lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse::<u64>().ok());
            peak_kib = peak_kib.max(hwm.unwrap_or(0));
        }
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            panic!("the import did not end within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let stdout = reader.join().expect("reader").expect("read stdout");
    assert!(
        status.code().is_some(),
        "the import died of a signal: {status:?}"
    );
    assert_eq!(
        status.code(),
        Some(1),
        "some inputs failed, none crashed the batch"
    );
    let events: Vec<Value> = json_lines(&stdout);
    let documents: Vec<&Value> = events.iter().filter(|e| e["type"] == "document").collect();
    assert_eq!(documents.len(), expected, "every input reported once");
    let mut by_status: BTreeMap<String, usize> = BTreeMap::new();
    let mut reasons: BTreeMap<String, usize> = BTreeMap::new();
    for d in &documents {
        let status = d["status"].as_str().unwrap_or("?").to_string();
        if status == "failed" || status == "skipped" {
            let reason = d["reason"].as_str().unwrap_or("");
            assert!(!reason.is_empty(), "no reason: {d}");
            assert!(!reason.contains('\n'), "reasons are one line: {reason}");
            let kind = reason.split(':').next().unwrap_or(reason).to_string();
            *reasons.entry(kind).or_default() += 1;
        }
        *by_status.entry(status).or_default() += 1;
    }
    let summary = events.last().expect("summary");
    assert_eq!(summary["inputs"].as_u64(), Some(expected as u64));
    let find = |name: &str| {
        documents
            .iter()
            .find(|d| d["path"].as_str().is_some_and(|p| p.ends_with(name)))
            .unwrap_or_else(|| panic!("{name} not reported"))
    };
    assert!(find("huge.txt")["reason"]
        .as_str()
        .is_some_and(|r| r.contains("too large")));
    assert_eq!(find("outside.txt")["status"], "skipped");
    eprintln!("ten_thousand_pages.pdf: {}", find("ten_thousand_pages.pdf"));
    assert!(
        peak_kib < 1_000_000,
        "peak memory {peak_kib} KiB: not bounded"
    );
    eprintln!(
        "{expected} hostile inputs in {:.1} s, peak memory {} MiB: {by_status:?}\nreasons: {reasons:#?}",
        started.elapsed().as_secs_f64(),
        peak_kib / 1024
    );
}
