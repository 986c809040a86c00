//! A pool of long-lived PDF worker processes (`aftale pdf-worker`), for
//! [`super::pdf::PdfReader::Subprocess`].
//!
//! Starting a process per PDF cost more than reading most PDFs (the binary is large, and a
//! fresh process pays for loading, relocation and a cold heap every time). A worker here reads
//! many PDFs, one at a time, over a framed protocol on its stdin and stdout:
//!
//! * request: [`MAGIC`], the length as a little-endian `u64`, the PDF's bytes;
//! * answer: [`MAGIC`], the length as a little-endian `u64`, one JSON
//!   [`super::pdf::WorkerReply`].
//!
//! A worker is checked out by one thread at a time and put back after a good answer (a
//! `failed` reply is a good answer: the worker caught the problem itself). Isolation is as with
//! one process per PDF: the worker is killed and dropped when it has not answered at the
//! time-out, died (crash, stack overflow, abort, out of memory under its address-space cap), or
//! answered with something that is not a frame; that document gets the same one-line reason as
//! before, and the next document gets a fresh worker. A worker is also retired (its stdin
//! closed, which ends it) after [`MAX_DOCUMENTS`] documents or when its resident memory has
//! grown past [`RETIRE_RSS`], so that one big PDF's heap does not stay with it.
//!
//! Workers are started lazily: at most as many exist as threads have read at the same time
//! (ingest's `-j`). Idle ones are kept per program and arguments in a process-wide list; at
//! exit (`atexit`, Unix) their stdins are closed and they are waited for, so none outlives the
//! parent. A worker whose parent is gone exits by itself as well (see
//! [`super::pdf::run_worker`]): its stdin closes, and while it is busy with a PDF a watchdog
//! thread notices that it has been re-parented.

use std::ffi::OsString;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::{mpsc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use wait_timeout::ChildExt;

use super::pdf::{describe_death, limit_memory, PdfPages, WorkerReply};
use crate::error::DocError;

/// First bytes of every request and answer frame.
pub const MAGIC: &[u8; 4] = b"APDF";

/// Largest answer accepted from a worker (an answer is a PDF's page texts as JSON).
const MAX_ANSWER: u64 = 1 << 30;

/// Documents a worker reads before it is retired.
pub const MAX_DOCUMENTS: u32 = 500;

/// Resident memory above which a worker is retired after its answer.
pub const RETIRE_RSS: u64 = 512 << 20;

/// How long a worker that closed its output (or lost its input) is given to exit by itself, so
/// that its exit status can say why it died.
const DEATH_GRACE: Duration = Duration::from_secs(5);

/// How long an idle worker whose stdin was closed is given to exit before it is killed.
const RETIRE_GRACE: Duration = Duration::from_millis(500);

type Key = (PathBuf, Vec<OsString>);

/// Idle workers, by the program and arguments that started them.
static IDLE: Mutex<Vec<(Key, Worker)>> = Mutex::new(Vec::new());

/// One worker process with its pipes.
struct Worker {
    child: Child,
    stdin: Option<ChildStdin>,
    stdout: ChildStdout,
    documents: u32,
    /// Whether the child has been waited for (then there is nothing left to end).
    reaped: bool,
}

impl Worker {
    fn start(program: &Path, args: &[OsString]) -> Result<Worker, DocError> {
        let mut cmd = Command::new(program);
        cmd.args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        limit_memory(&mut cmd);
        let mut child = cmd
            .spawn()
            .map_err(|e| DocError::Worker(format!("cannot start {}: {e}", program.display())))?;
        let (Some(stdin), Some(stdout)) = (child.stdin.take(), child.stdout.take()) else {
            let _ = child.kill();
            let _ = child.wait();
            return Err(DocError::Worker("reader started without pipes".into()));
        };
        register_exit_hook();
        Ok(Worker {
            child,
            stdin: Some(stdin),
            stdout,
            documents: 0,
            reaped: false,
        })
    }

    /// Still running (an idle worker can have been killed from outside, by the OOM killer say).
    fn alive(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// Kill and wait: after a time-out or an answer that is no answer.
    fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        self.reaped = true;
    }

    /// After its output ended early: the worker is dying, or closed its stdout for no reason.
    /// Waits for it a little (its stdin closed) and says how it ended.
    fn death(&mut self, left: Duration) -> String {
        self.stdin = None;
        match self.child.wait_timeout(left.min(DEATH_GRACE)) {
            Ok(Some(status)) => {
                self.reaped = true;
                describe_death(&status)
            }
            _ => {
                self.kill();
                "reader closed its output without an answer".into()
            }
        }
    }

    /// Whether it should not read another document.
    fn worn_out(&self) -> bool {
        self.documents >= MAX_DOCUMENTS || resident_bytes(self.child.id()) > Some(RETIRE_RSS)
    }

    /// Send one request and wait for the answer until `timeout`. On any failure the worker is
    /// dead (reaped) or must be dropped.
    fn exchange(&mut self, bytes: &[u8], timeout: Duration) -> Exchange {
        let Some(stdin) = self.stdin.as_mut() else {
            return Exchange::Lost;
        };
        let stdout = &mut self.stdout;
        let child = &mut self.child;
        // The request is written and the answer read on a helper thread, so that this thread
        // can give up at the time-out: killing the worker ends the helper's reads and writes.
        let (received, killed) = std::thread::scope(|scope| {
            let (tx, rx) = mpsc::channel();
            scope.spawn(move || {
                let result = write_frame(stdin, bytes).and_then(|()| read_frame(stdout));
                let _ = tx.send(result);
            });
            match rx.recv_timeout(timeout) {
                Ok(result) => (Some(result), false),
                Err(e) => {
                    let _ = child.kill();
                    let _ = child.wait();
                    let lost = io::Error::other("the helper thread ended without a result");
                    match e {
                        mpsc::RecvTimeoutError::Timeout => (None, true),
                        mpsc::RecvTimeoutError::Disconnected => (Some(Err(lost)), true),
                    }
                }
            }
        });
        if killed {
            self.reaped = true;
        }
        match received {
            None => Exchange::TimedOut,
            Some(Ok(Frame::Answer(body))) => Exchange::Answer(body),
            Some(Ok(Frame::Garbage)) => Exchange::Garbage,
            Some(Err(_)) => Exchange::Lost,
        }
    }
}

impl Drop for Worker {
    /// Closes its stdin, which ends a worker waiting for a request; one still busy after
    /// [`RETIRE_GRACE`] is killed. Either way it is waited for: no zombie is left.
    fn drop(&mut self) {
        if self.reaped {
            return;
        }
        self.stdin = None;
        match self.child.wait_timeout(RETIRE_GRACE) {
            Ok(Some(_)) => {}
            _ => {
                let _ = self.child.kill();
                let _ = self.child.wait();
            }
        }
    }
}

enum Exchange {
    Answer(Vec<u8>),
    /// Something that is not a frame came back.
    Garbage,
    /// The pipes broke or the output ended before a whole answer.
    Lost,
    TimedOut,
}

enum Frame {
    Answer(Vec<u8>),
    Garbage,
}

/// Write one frame: magic, length, body, and flush.
pub fn write_frame(out: &mut impl Write, body: &[u8]) -> io::Result<()> {
    let mut head = [0u8; 12];
    head[..4].copy_from_slice(MAGIC);
    head[4..].copy_from_slice(&(body.len() as u64).to_le_bytes());
    out.write_all(&head)?;
    out.write_all(body)?;
    out.flush()
}

/// Read one answer frame. An early end of the stream is an error; a wrong magic or an
/// impossible length is [`Frame::Garbage`].
fn read_frame(input: &mut impl Read) -> io::Result<Frame> {
    let mut head = [0u8; 12];
    input.read_exact(&mut head)?;
    let Some(len) = frame_length(&head, MAX_ANSWER) else {
        return Ok(Frame::Garbage);
    };
    let mut body = Vec::new();
    input.take(len).read_to_end(&mut body)?;
    if (body.len() as u64) < len {
        return Err(io::Error::from(io::ErrorKind::UnexpectedEof));
    }
    Ok(Frame::Answer(body))
}

/// The body length a frame header announces, or `None` when it is not a header or the length
/// is above `max`.
pub fn frame_length(head: &[u8; 12], max: u64) -> Option<u64> {
    if &head[..4] != MAGIC {
        return None;
    }
    let mut len = [0u8; 8];
    len.copy_from_slice(&head[4..]);
    Some(u64::from_le_bytes(len)).filter(|&n| n <= max)
}

/// Read a PDF in a pooled worker `program args…`, giving up after `timeout`.
pub fn read(
    bytes: &[u8],
    program: &Path,
    args: &[OsString],
    timeout: Duration,
) -> Result<PdfPages, DocError> {
    let key: Key = (program.to_path_buf(), args.to_vec());
    let mut worker = match check_out(&key) {
        Some(worker) => worker,
        None => Worker::start(program, args)?,
    };
    let started = Instant::now();
    let body = match worker.exchange(bytes, timeout) {
        Exchange::Answer(body) => body,
        Exchange::TimedOut => return Err(DocError::Timeout(timeout.as_secs())),
        Exchange::Garbage => {
            worker.kill();
            return Err(DocError::Worker(
                "reader answered with something that is not an answer".into(),
            ));
        }
        Exchange::Lost => {
            let left = timeout.saturating_sub(started.elapsed());
            return Err(DocError::Worker(worker.death(left)));
        }
    };
    let reply = match serde_json::from_slice::<WorkerReply>(&body) {
        Ok(reply) => reply,
        Err(_) => {
            worker.kill();
            return Err(DocError::Worker(
                "reader answered with something that is not an answer".into(),
            ));
        }
    };
    worker.documents += 1;
    if !worker.worn_out() {
        check_in(key, worker);
    }
    match reply {
        WorkerReply::Pages(pages) => Ok(pages),
        WorkerReply::Failed(e) => Err(e),
    }
}

fn idle() -> std::sync::MutexGuard<'static, Vec<(Key, Worker)>> {
    IDLE.lock().unwrap_or_else(PoisonError::into_inner)
}

/// An idle, living worker for `key`; dead ones found on the way are dropped (and reaped).
fn check_out(key: &Key) -> Option<Worker> {
    loop {
        let found = {
            let mut idle = idle();
            let at = idle.iter().position(|(k, _)| k == key)?;
            idle.swap_remove(at).1
        };
        let mut worker = found;
        if worker.alive() {
            return Some(worker);
        }
        worker.reaped = true;
    }
}

fn check_in(key: Key, worker: Worker) {
    idle().push((key, worker));
}

/// Ends the idle workers and waits for them: every stdin is closed first so that they all
/// exit at once, then each is dropped (waited for, killed if it does not end).
fn end_all(workers: Vec<(Key, Worker)>) {
    let mut workers: Vec<Worker> = workers
        .into_iter()
        .map(|(_, mut w)| {
            w.stdin = None;
            w
        })
        .collect();
    workers.clear();
}

#[cfg(unix)]
fn register_exit_hook() {
    extern "C" fn at_exit() {
        // Must not unwind into libc: a panic here would abort, so only non-panicking calls.
        // A thread holding the list at exit keeps it: its workers end when their stdin
        // closes with this process.
        let workers = match IDLE.try_lock() {
            Ok(mut idle) => std::mem::take(&mut *idle),
            Err(std::sync::TryLockError::Poisoned(p)) => std::mem::take(&mut *p.into_inner()),
            Err(std::sync::TryLockError::WouldBlock) => return,
        };
        end_all(workers);
    }
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // SAFETY: registers a function without arguments to run at `exit`; it takes the idle
        // list only if no thread holds it.
        unsafe {
            libc::atexit(at_exit);
        }
    });
}

#[cfg(not(unix))]
fn register_exit_hook() {}

/// A process's resident memory in bytes (Linux, from `/proc`); `None` elsewhere.
fn resident_bytes(pid: u32) -> Option<u64> {
    #[cfg(target_os = "linux")]
    {
        let statm = std::fs::read_to_string(format!("/proc/{pid}/statm")).ok()?;
        let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
        // SAFETY: sysconf only reads a configuration value.
        let page = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
        Some(pages.saturating_mul(u64::try_from(page).ok()?))
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = pid;
        None
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn frames_round_trip_and_garbage_is_told_apart() {
        let mut buf = Vec::new();
        write_frame(&mut buf, b"hej").unwrap();
        assert_eq!(buf.len(), 15);
        let mut head = [0u8; 12];
        head.copy_from_slice(&buf[..12]);
        assert_eq!(frame_length(&head, 10), Some(3));
        assert_eq!(frame_length(&head, 2), None);
        assert!(matches!(read_frame(&mut &buf[..]), Ok(Frame::Answer(b)) if b == b"hej"));
        assert!(matches!(
            read_frame(&mut &b"hello world, this is no frame"[..]),
            Ok(Frame::Garbage)
        ));
        assert!(read_frame(&mut &buf[..14]).is_err());
        assert!(read_frame(&mut &b"hello\n"[..]).is_err());
    }

    /// A shell stand-in for `aftale pdf-worker`: answers every 8-byte request with a page
    /// holding its own process id, and crashes on a request ending in `die`. `tag` makes the
    /// command unique to one test (the pool is per program and arguments).
    fn fake_worker(tag: &str) -> (PathBuf, Vec<OsString>) {
        let script = format!(
            r#"# {tag}
while :; do
  req=$(head -c 20 | tail -c 8)
  [ -z "$req" ] && exit 0
  case "$req" in *die) kill -SEGV $$;; esac
  body="{{\"pages\":{{\"pages\":[\"$$\"],\"warnings\":[]}}}}"
  printf 'APDF'
  printf "\\$(printf %03o ${{#body}})"
  printf '\0\0\0\0\0\0\0'
  printf '%s' "$body"
done"#
        );
        ("sh".into(), vec!["-c".into(), script.into()])
    }

    fn page_of(result: Result<PdfPages, DocError>) -> String {
        result.expect("pages").pages.concat()
    }

    #[test]
    fn a_worker_reads_many_documents_and_a_crash_gets_a_fresh_one() {
        let (program, args) = fake_worker("reuse");
        let t = Duration::from_secs(10);
        let first = page_of(read(b"%PDF-ok!", &program, &args, t));
        let second = page_of(read(b"%PDF-ok!", &program, &args, t));
        assert_eq!(first, second, "the same worker answered both");
        let crash = read(b"%PDF-die", &program, &args, t);
        assert!(
            matches!(&crash, Err(DocError::Worker(m)) if m.contains("signal 11")),
            "{crash:?}"
        );
        let after = page_of(read(b"%PDF-ok!", &program, &args, t));
        assert_ne!(after, first, "a new worker after the crash");
    }

    #[test]
    fn a_worker_that_is_gone_while_idle_is_replaced() {
        let (program, args) = fake_worker("idle-death");
        let t = Duration::from_secs(10);
        let first = page_of(read(b"%PDF-ok!", &program, &args, t));
        let pid: i32 = first.parse().expect("pid");
        // SAFETY: sends a signal to the test's own child.
        unsafe {
            libc::kill(pid, libc::SIGKILL);
        }
        std::thread::sleep(Duration::from_millis(100));
        let second = page_of(read(b"%PDF-ok!", &program, &args, t));
        assert_ne!(first, second);
    }

    #[test]
    fn garbage_from_a_living_worker_does_not_wait_for_it() {
        let program: PathBuf = "sh".into();
        let args: Vec<OsString> = vec![
            "-c".into(),
            "head -c 20 >/dev/null; echo 'hello there, no frame'; sleep 30".into(),
        ];
        let started = Instant::now();
        let result = read(b"%PDF-1.4", &program, &args, Duration::from_secs(20));
        assert!(
            matches!(&result, Err(DocError::Worker(m)) if m.contains("not an answer")),
            "{result:?}"
        );
        assert!(started.elapsed() < Duration::from_secs(10));
    }
}
