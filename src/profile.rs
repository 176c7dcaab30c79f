//! `OGI_PROFILE=1`: time spent per stage of a parse, printed to stderr when it ends.
//!
//! Stages are timed only when the variable is set (one cached check otherwise) and summed
//! per thread, so a batch's files do not mix.

use std::cell::RefCell;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// Whether `OGI_PROFILE` is set to something other than empty or `0`.
pub fn enabled() -> bool {
    static ON: OnceLock<bool> = OnceLock::new();
    *ON.get_or_init(|| std::env::var_os("OGI_PROFILE").is_some_and(|v| !v.is_empty() && v != "0"))
}

thread_local! {
    static STAGES: RefCell<Vec<(&'static str, Duration)>> = const { RefCell::new(Vec::new()) };
}

/// Runs `f`, adding its time to `stage` when profiling.
pub fn time<T>(stage: &'static str, f: impl FnOnce() -> T) -> T {
    if !enabled() {
        return f();
    }
    let t = Instant::now();
    let r = f();
    add(stage, t.elapsed());
    r
}

/// Adds `d` to `stage`'s time on this thread.
fn add(stage: &'static str, d: Duration) {
    STAGES.with(|s| {
        let mut s = s.borrow_mut();
        match s.iter_mut().find(|(n, _)| *n == stage) {
            Some((_, total)) => *total += d,
            None => s.push((stage, d)),
        }
    });
}

/// A stage timed from now until the guard is dropped (for a stage that is a stretch of
/// a function rather than a call).
pub fn span(stage: &'static str) -> Span {
    Span {
        stage,
        start: enabled().then(Instant::now),
    }
}

/// The guard [`span`] returns.
pub struct Span {
    stage: &'static str,
    start: Option<Instant>,
}

impl Drop for Span {
    fn drop(&mut self) {
        if let Some(t) = self.start {
            add(self.stage, t.elapsed());
        }
    }
}

/// The stages timed on this thread so far (taken: the thread's own are then empty), for a
/// helper thread to hand to [`merge`].
pub fn take() -> Vec<(&'static str, Duration)> {
    if !enabled() {
        return Vec::new();
    }
    STAGES.with(|s| std::mem::take(&mut *s.borrow_mut()))
}

/// Adds stages timed on another thread (from [`take`]) to this thread's: a stage spread
/// over threads reports its time summed over them.
pub fn merge(stages: Vec<(&'static str, Duration)>) {
    for (stage, d) in stages {
        add(stage, d);
    }
}

/// Prints the stages timed on this thread since the last report (and forgets them).
pub fn report(bytes: usize) {
    if !enabled() {
        return;
    }
    let stages = STAGES.with(|s| std::mem::take(&mut *s.borrow_mut()));
    let mut line = format!("ogi-profile: {bytes} bytes:");
    for (name, d) in stages {
        line.push_str(&format!(" {name} {:.2} ms;", d.as_secs_f64() * 1e3));
    }
    eprintln!("{}", line.trim_end_matches(';'));
}
