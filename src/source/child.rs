//! Running an external program on bytes, with a deadline and a memory cap.
//!
//! Used for the OCR tools (`pdftoppm`, `tesseract`): bytes go to the child's stdin, its stdout
//! comes back, and a child still running at the deadline is killed, so that one page that
//! makes a tool hang fails alone. stdin is fed and stdout/stderr drained on their own threads,
//! so that no pipe can fill up and block the child while we wait for it.

use std::ffi::OsStr;
use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use wait_timeout::ChildExt;

/// Why a child gave no usable output; `Display` is a one-line reason.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChildError {
    #[error("{program} is not installed")]
    NotFound { program: String },
    #[error("cannot start {program}: {reason}")]
    Start { program: String, reason: String },
    #[error("{program} gave up after the {seconds} s time-out")]
    Timeout { program: String, seconds: u64 },
    #[error("{program} failed: {reason}")]
    Failed { program: String, reason: String },
}

/// Run `program args…` with `input` on stdin and `envs` set, and return its stdout. Fails when
/// it cannot start, exits unsuccessfully, or is still running at `deadline` (then it is
/// killed). `limit` is the whole time-out, only for the message.
pub fn run<I, S>(
    program: &str,
    args: I,
    envs: &[(&str, &str)],
    input: &[u8],
    deadline: Instant,
    limit: Duration,
) -> Result<Vec<u8>, ChildError>
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let mut cmd = Command::new(program);
    cmd.args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in envs {
        cmd.env(k, v);
    }
    super::pdf::limit_memory(&mut cmd);
    let mut child = cmd.spawn().map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => ChildError::NotFound {
            program: program.to_string(),
        },
        _ => ChildError::Start {
            program: program.to_string(),
            reason: e.to_string(),
        },
    })?;
    let stdin = child.stdin.take();
    let owned = input.to_vec();
    let feeder = std::thread::spawn(move || {
        if let Some(mut stdin) = stdin {
            // A child that stops reading early (and fails) closes the pipe: its exit status
            // tells the story, not this write.
            let _ = stdin.write_all(&owned);
        }
    });
    let drain = |pipe: Option<Box<dyn Read + Send>>| {
        std::thread::spawn(move || {
            let mut out = Vec::new();
            if let Some(mut pipe) = pipe {
                let _ = pipe.read_to_end(&mut out);
            }
            out
        })
    };
    let stdout = drain(
        child
            .stdout
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let stderr = drain(
        child
            .stderr
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let left = deadline.saturating_duration_since(Instant::now());
    let status = match child.wait_timeout(left) {
        Ok(Some(status)) => status,
        Ok(None) => {
            let _ = child.kill();
            let _ = child.wait();
            let _ = (feeder.join(), stdout.join(), stderr.join());
            return Err(ChildError::Timeout {
                program: program.to_string(),
                seconds: limit.as_secs(),
            });
        }
        Err(e) => {
            let _ = child.kill();
            let _ = child.wait();
            return Err(ChildError::Failed {
                program: program.to_string(),
                reason: format!("cannot wait for it: {e}"),
            });
        }
    };
    let _ = feeder.join();
    let out = stdout.join().unwrap_or_default();
    let err = stderr.join().unwrap_or_default();
    if status.success() {
        return Ok(out);
    }
    // The last line a tool printed is usually the reason; keep it to one line.
    let text = String::from_utf8_lossy(&err);
    let last = text
        .lines()
        .rev()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("no message");
    Err(ChildError::Failed {
        program: program.to_string(),
        reason: format!("{status}: {}", last.chars().take(200).collect::<String>()),
    })
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    fn soon(secs: u64) -> (Instant, Duration) {
        let d = Duration::from_secs(secs);
        (Instant::now() + d, d)
    }

    #[test]
    fn stdin_goes_in_and_stdout_comes_back() {
        let (deadline, limit) = soon(10);
        let out = run("cat", [] as [&str; 0], &[], b"hej", deadline, limit);
        assert_eq!(out, Ok(b"hej".to_vec()));
    }

    #[test]
    fn a_missing_program_says_so() {
        let (deadline, limit) = soon(10);
        let out = run("aftale-no-such-tool", ["x"], &[], b"", deadline, limit);
        assert!(matches!(out, Err(ChildError::NotFound { .. })), "{out:?}");
    }

    #[test]
    fn a_hanging_program_is_killed_at_the_deadline() {
        let (deadline, limit) = soon(1);
        let started = Instant::now();
        let out = run("sleep", ["30"], &[], b"", deadline, limit);
        assert!(
            matches!(out, Err(ChildError::Timeout { seconds: 1, .. })),
            "{out:?}"
        );
        assert!(started.elapsed() < Duration::from_secs(10));
    }

    #[test]
    fn a_failing_program_gives_its_last_stderr_line() {
        let (deadline, limit) = soon(10);
        let out = run(
            "sh",
            ["-c", "echo first >&2; echo 'bad page' >&2; exit 3"],
            &[],
            b"",
            deadline,
            limit,
        );
        let err = out.expect_err("fails").to_string();
        assert!(
            err.starts_with("sh failed: exit status: 3: bad page"),
            "{err}"
        );
    }
}
