//! Interrupts (Ctrl-C, `kill`): a long import stops cleanly instead of dying mid-write.
//!
//! [`install`] turns the first SIGINT or SIGTERM into a request ([`requested`] becomes true);
//! work in progress looks at the flag between documents and between scanned pages, finishes or
//! drops what is in flight, and the import commits everything finished. A second signal ends
//! the process at once (exit 130), for a user who does not want to wait.

use std::sync::atomic::{AtomicBool, Ordering};

static REQUESTED: AtomicBool = AtomicBool::new(false);

/// Whether an interrupt was asked for.
pub fn requested() -> bool {
    REQUESTED.load(Ordering::Relaxed)
}

/// Ask running work to stop (what the signal handler does; also for tests and embedders).
pub fn request() {
    REQUESTED.store(true, Ordering::Relaxed);
}

/// Forget an earlier request (before a new run in the same process).
pub fn clear() {
    REQUESTED.store(false, Ordering::Relaxed);
}

/// Route SIGINT and SIGTERM to [`request`]; a second one exits with 130 at once.
#[cfg(unix)]
pub fn install() {
    extern "C" fn on_signal(_: libc::c_int) {
        // Only async-signal-safe calls here: an atomic swap and `_exit`.
        if REQUESTED.swap(true, Ordering::Relaxed) {
            unsafe { libc::_exit(130) };
        }
    }
    let handler: extern "C" fn(libc::c_int) = on_signal;
    // SAFETY: `sigaction` with a zeroed struct and a handler that only touches an atomic and
    // calls `_exit`, both async-signal-safe.
    unsafe {
        let mut action: libc::sigaction = std::mem::zeroed();
        action.sa_sigaction = handler as usize;
        action.sa_flags = libc::SA_RESTART;
        libc::sigemptyset(&mut action.sa_mask);
        for signal in [libc::SIGINT, libc::SIGTERM] {
            libc::sigaction(signal, &action, std::ptr::null_mut());
        }
    }
}

/// Interrupts end the process as usual where signals are not handled.
#[cfg(not(unix))]
pub fn install() {}
