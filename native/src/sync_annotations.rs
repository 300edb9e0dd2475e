//! Happens-before edges that a race detector cannot see: the Rust half is
//! not instrumented, so a handoff through a Rust mutex or queue (a task to an
//! executor thread, an answer to a waiting call) looks like a race to
//! ThreadSanitizer in the instrumented C++ half. A ThreadSanitizer build of
//! the C++ side registers `__tsan_acquire`/`__tsan_release` here; otherwise
//! nothing is registered and the calls cost a load each.

use std::sync::atomic::{AtomicPtr, Ordering};

type Annotation = extern "C" fn(*const std::ffi::c_void);

static ACQUIRE: AtomicPtr<()> = AtomicPtr::new(std::ptr::null_mut());
static RELEASE: AtomicPtr<()> = AtomicPtr::new(std::ptr::null_mut());

/// Registers the race detector's acquire and release annotations.
#[no_mangle]
pub extern "C" fn tairitsu_set_sync_annotations(acquire: Option<Annotation>, release: Option<Annotation>) {
    ACQUIRE.store(acquire.map_or(std::ptr::null_mut(), |f| f as *mut ()), Ordering::Release);
    RELEASE.store(release.map_or(std::ptr::null_mut(), |f| f as *mut ()), Ordering::Release);
}

fn call(slot: &AtomicPtr<()>, address: *const std::ffi::c_void) {
    let f = slot.load(Ordering::Acquire);
    if !f.is_null() {
        let f: Annotation = unsafe { std::mem::transmute(f) };
        f(address);
    }
}

/// What this thread did so far happens before what follows `acquire(address)`.
pub(crate) fn release<T>(address: *const T) {
    call(&RELEASE, address.cast());
}

/// What a thread did before `release(address)` happens before what follows.
pub(crate) fn acquire<T>(address: *const T) {
    call(&ACQUIRE, address.cast());
}

/// A future polled on whichever thread a runtime picks, each poll seeing
/// what the previous one (and the code that made the future, after
/// `release(key)`) did: tasks move between Tokio's threads through queues a
/// race detector cannot see.
pub(crate) struct Handoff<F> {
    key: usize,
    inner: std::pin::Pin<Box<F>>,
}

impl<F: std::future::Future> Handoff<F> {
    pub(crate) fn new<T>(key: *const T, inner: F) -> Self {
        Handoff {
            key: key as usize,
            inner: Box::pin(inner),
        }
    }
}

impl<F: std::future::Future> std::future::Future for Handoff<F> {
    type Output = F::Output;
    fn poll(mut self: std::pin::Pin<&mut Self>, cx: &mut std::task::Context<'_>) -> std::task::Poll<F::Output> {
        let key = self.key as *const ();
        acquire(key);
        let polled = self.inner.as_mut().poll(cx);
        release(key);
        polled
    }
}
