//! The executor that drives calls started with `Container::call_async`: a
//! few worker threads the host chooses, a queue of tasks that are ready to
//! make progress, and a timer for call deadlines. A call whose guest waits
//! for an async host function is not polled again until its completion wakes
//! it, so a handful of threads keep thousands of waiting calls.
//!
//! Each task is one call into one container's store: C++ starts at most one
//! call per container at a time and does not touch the store until the call
//! reports back (or is cancelled, which waits for the task to let go).

use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::task::{Context, Poll, Wake, Waker};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use wasmtime::component::{Func, Val};
use wasmtime_c_api::{wasmtime_component_val_t, wasmtime_error_t, WasmtimeStoreContextMut};

use wasmtime_wasi::runtime::with_ambient_tokio_runtime;

use crate::call_deadline::tairitsu_call_deadline_exchange;

type BoxFuture = Pin<Box<dyn Future<Output = ()> + Send>>;

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// One call in flight.
#[allow(non_camel_case_types)]
pub struct tairitsu_call_task {
    slot: Mutex<Slot>,
    /// Signalled when a worker stops polling the future.
    polled: Condvar,
    /// Queued already: a second wake-up does not queue it twice.
    queued: AtomicBool,
    /// CLOCK_MONOTONIC nanoseconds, `i64::MAX` for none: the worker's call
    /// deadline while it polls; the timer wakes the task when it comes.
    deadline_ns: i64,
    executor: Arc<Shared>,
}

struct Slot {
    /// The call's future; out while a worker polls it, gone once done or cancelled.
    future: Option<BoxFuture>,
    polling: bool,
    /// Woken while a worker polled it: poll again.
    woken_while_polling: bool,
}

struct Shared {
    queue: Mutex<Queue>,
    ready: Condvar,
    timers: Mutex<BinaryHeap<Reverse<(Instant, usize)>>>,
    timer_tasks: Mutex<Vec<Option<Arc<tairitsu_call_task>>>>,
    timer_changed: Condvar,
}

struct Queue {
    tasks: VecDeque<Arc<tairitsu_call_task>>,
    stopping: bool,
}

impl Wake for tairitsu_call_task {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref()
    }
    fn wake_by_ref(self: &Arc<Self>) {
        crate::sync_annotations::release(Arc::as_ptr(self));
        if !self.queued.swap(true, Ordering::AcqRel) {
            let mut queue = lock(&self.executor.queue);
            queue.tasks.push_back(self.clone());
            drop(queue);
            self.executor.ready.notify_one();
        }
    }
}

impl tairitsu_call_task {
    fn run(self: &Arc<Self>) {
        crate::sync_annotations::acquire(Arc::as_ptr(self));
        self.queued.store(false, Ordering::Release);
        let mut future = {
            let mut slot = lock(&self.slot);
            match slot.future.take() {
                Some(f) if !slot.polling => {
                    slot.polling = true;
                    f
                }
                other => {
                    slot.woken_while_polling |= slot.polling;
                    slot.future = other;
                    return;
                }
            }
        };
        let waker = Waker::from(self.clone());
        let mut cx = Context::from_waker(&waker);
        let previous = tairitsu_call_deadline_exchange(self.deadline_ns);
        // WASI's own pollables (its clocks, its stdio) need a Tokio context.
        let done = with_ambient_tokio_runtime(|| future.as_mut().poll(&mut cx)).is_ready();
        tairitsu_call_deadline_exchange(previous);
        crate::sync_annotations::release(Arc::as_ptr(self));
        let mut slot = lock(&self.slot);
        slot.polling = false;
        let again = !done && std::mem::take(&mut slot.woken_while_polling);
        if !done {
            slot.future = Some(future);
        }
        drop(slot);
        self.polled.notify_all();
        if again {
            self.wake_by_ref();
        }
    }
}

#[allow(non_camel_case_types)]
pub struct tairitsu_executor {
    shared: Arc<Shared>,
    workers: Vec<JoinHandle<()>>,
    timer: Option<JoinHandle<()>>,
}

fn worker(shared: Arc<Shared>) {
    loop {
        let task = {
            let mut queue = lock(&shared.queue);
            loop {
                if let Some(task) = queue.tasks.pop_front() {
                    break task;
                }
                if queue.stopping {
                    return;
                }
                queue = shared.ready.wait(queue).unwrap_or_else(|p| p.into_inner());
            }
        };
        task.run();
    }
}

/// Wakes each task whose deadline came, so that the call sees it passed.
fn timer(shared: Arc<Shared>) {
    let mut timers = lock(&shared.timers);
    loop {
        if lock(&shared.queue).stopping {
            return;
        }
        let now = Instant::now();
        match timers.peek() {
            Some(Reverse((at, slot))) if *at <= now => {
                let slot = *slot;
                timers.pop();
                let task = lock(&shared.timer_tasks).get_mut(slot).and_then(Option::take);
                if let Some(task) = task {
                    task.wake_by_ref();
                }
            }
            Some(Reverse((at, _))) => {
                let wait = *at - now;
                timers = shared.timer_changed.wait_timeout(timers, wait).unwrap_or_else(|p| p.into_inner()).0;
            }
            None => {
                timers = shared.timer_changed.wait_timeout(timers, Duration::from_secs(1)).unwrap_or_else(|p| p.into_inner()).0;
            }
        }
    }
}

/// An executor with `threads` workers (at least one).
#[no_mangle]
pub extern "C" fn tairitsu_executor_new(threads: usize) -> *mut tairitsu_executor {
    let shared = Arc::new(Shared {
        queue: Mutex::new(Queue { tasks: VecDeque::new(), stopping: false }),
        ready: Condvar::new(),
        timers: Mutex::new(BinaryHeap::new()),
        timer_tasks: Mutex::new(Vec::new()),
        timer_changed: Condvar::new(),
    });
    let workers = (0..threads.max(1))
        .map(|i| {
            let shared = shared.clone();
            std::thread::Builder::new()
                .name(format!("tairitsu-executor-{i}"))
                .spawn(move || worker(shared))
                .expect("starting an executor thread")
        })
        .collect();
    let timer_shared = shared.clone();
    let timer = std::thread::Builder::new()
        .name("tairitsu-executor-timer".into())
        .spawn(move || timer(timer_shared))
        .expect("starting the executor's timer thread");
    Box::into_raw(Box::new(tairitsu_executor { shared, workers, timer: Some(timer) }))
}

/// Stops the workers once the queue is empty and joins them. Calls still
/// waiting are dropped (their containers must be gone or stopped first).
#[no_mangle]
pub extern "C" fn tairitsu_executor_delete(executor: *mut tairitsu_executor) {
    if executor.is_null() {
        return;
    }
    let mut executor = unsafe { Box::from_raw(executor) };
    lock(&executor.shared.queue).stopping = true;
    executor.shared.ready.notify_all();
    {
        // Under the timers' lock: the timer thread either sees `stopping` or is waiting.
        let _timers = lock(&executor.shared.timers);
        executor.shared.timer_changed.notify_all();
    }
    // The last handle may go on a worker itself (a call's report drops it):
    // that worker ends after this task instead of being joined.
    let me = std::thread::current().id();
    for w in executor.workers.drain(..) {
        if w.thread().id() != me {
            let _ = w.join();
        }
    }
    if let Some(t) = executor.timer.take() {
        let _ = t.join();
    }
    lock(&executor.shared.timer_tasks).clear();
}

/// How a call reports back, on a worker thread: the error (taken over by the
/// callee) or the results (valid during the callback; NULL error).
pub type TairitsuCallDone =
    extern "C" fn(env: *mut std::ffi::c_void, error: *mut wasmtime_error_t, results: *mut wasmtime_component_val_t, n: usize);

struct SendPtr<T>(*mut T);
unsafe impl<T> Send for SendPtr<T> {}
impl<T> Clone for SendPtr<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T> Copy for SendPtr<T> {}

/// Starts a call of `func` in the store of `context` on `executor`. The
/// store must not be used elsewhere until `done` runs (it runs exactly once,
/// also when the call is cancelled). Returns the task (release it with
/// `tairitsu_call_task_release`).
#[no_mangle]
pub extern "C" fn tairitsu_executor_call(
    executor: &tairitsu_executor,
    func: &Func,
    context: WasmtimeStoreContextMut<'static>,
    args: *const wasmtime_component_val_t,
    nargs: usize,
    nresults: usize,
    deadline_ns: i64,
    done: TairitsuCallDone,
    env: *mut std::ffi::c_void,
) -> *const tairitsu_call_task {
    let args: Vec<Val> = if nargs == 0 {
        Vec::new()
    } else {
        unsafe { std::slice::from_raw_parts(args, nargs) }.iter().map(Val::from).collect()
    };
    let func = *func;
    let env = SendPtr(env);
    let mut store = context;
    let future = async move {
        let env = env;
        let mut out = vec![Val::Bool(false); nresults];
        let outcome = func.call_async(&mut store, &args, &mut out).await;
        report(done, env.0, outcome.map(|()| out));
    };
    let task = Arc::new(tairitsu_call_task {
        slot: Mutex::new(Slot {
            future: Some(Box::pin(Reporting { inner: Some(Box::pin(future)), done, env })),
            polling: false,
            woken_while_polling: false,
        }),
        polled: Condvar::new(),
        queued: AtomicBool::new(false),
        deadline_ns,
        executor: executor.shared.clone(),
    });
    if deadline_ns != i64::MAX {
        let left = deadline_ns.saturating_sub(crate::call_deadline::monotonic_ns()).max(0) as u64;
        let at = Instant::now() + Duration::from_nanos(left);
        let mut slots = lock(&executor.shared.timer_tasks);
        let slot = slots.iter().position(Option::is_none).unwrap_or_else(|| {
            slots.push(None);
            slots.len() - 1
        });
        slots[slot] = Some(task.clone());
        drop(slots);
        lock(&executor.shared.timers).push(Reverse((at, slot)));
        executor.shared.timer_changed.notify_all();
    }
    task.wake_by_ref();
    Arc::into_raw(task)
}

fn report(done: TairitsuCallDone, env: *mut std::ffi::c_void, outcome: wasmtime::Result<Vec<Val>>) {
    match outcome {
        Ok(values) => {
            let mut c: Vec<wasmtime_component_val_t> = values.iter().map(wasmtime_component_val_t::from).collect();
            done(env, std::ptr::null_mut(), c.as_mut_ptr(), c.len());
        }
        Err(e) => done(env, Box::into_raw(Box::new(wasmtime_error_t::from(e))), std::ptr::null_mut(), 0),
    }
}

/// A call's future that reports a cancellation when dropped before its end.
struct Reporting<F: Future<Output = ()> + Send> {
    inner: Option<Pin<Box<F>>>,
    done: TairitsuCallDone,
    env: SendPtr<std::ffi::c_void>,
}

impl<F: Future<Output = ()> + Send> Future for Reporting<F> {
    type Output = ();
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let Some(inner) = self.inner.as_mut() else { return Poll::Ready(()) };
        let ready = inner.as_mut().poll(cx).is_ready();
        if ready {
            self.inner = None;
            return Poll::Ready(());
        }
        Poll::Pending
    }
}

impl<F: Future<Output = ()> + Send> Drop for Reporting<F> {
    fn drop(&mut self) {
        if let Some(inner) = self.inner.take() {
            drop(inner); // drops the call (and the guest's fiber) first
            report(self.done, self.env.0, Err(wasmtime::format_err!("the call was cancelled")));
        }
    }
}

/// Cancels a call: drops it (its `done` reports the cancellation) once no
/// worker is polling it, and waits for that. Nothing when it has ended.
#[no_mangle]
pub extern "C" fn tairitsu_call_task_cancel(task: &tairitsu_call_task) {
    let mut slot = lock(&task.slot);
    while slot.polling {
        slot = task.polled.wait(slot).unwrap_or_else(|p| p.into_inner());
    }
    crate::sync_annotations::acquire(task as *const tairitsu_call_task);
    let future = slot.future.take();
    drop(slot);
    drop(future);
}

#[no_mangle]
pub unsafe extern "C" fn tairitsu_call_task_release(task: *const tairitsu_call_task) {
    if !task.is_null() {
        drop(Arc::from_raw(task));
    }
}
