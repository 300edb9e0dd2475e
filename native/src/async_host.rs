//! Async host functions: a host function that returns at once and answers
//! later, from any thread, through a completion. While it has not answered
//! the guest's call is suspended on its fiber and the thread that drives the
//! call is free (parked, see fiber.rs, or running other work).
//!
//! A completion is shared by the call (which waits on it) and C++ (which
//! finishes it); each side holds one reference. Finishing twice is refused;
//! finishing after the call went away (its container stopped, its deadline
//! passed) is refused too and the values are dropped.

use std::ffi::c_void;
use std::future::poll_fn;
use std::sync::{Arc, Mutex};
use std::task::{Poll, Waker};

use wasmtime::component::{LinkerInstance, Val};
use wasmtime::format_err;
use wasmtime_c_api::{
    wasmtime_component_func_type_t, wasmtime_component_linker_instance_t, wasmtime_component_val_t,
    wasmtime_error_t, WasmtimeStoreContextMut, WasmtimeStoreData,
};

use crate::call_deadline::{current_deadline_ns, monotonic_ns};

enum State {
    /// Not answered yet; the waker of the call waiting on it.
    Waiting(Option<Waker>),
    /// Answered: the results or the error, not yet taken by the call.
    Finished(Result<Vec<wasmtime_component_val_t>, Box<wasmtime_error_t>>),
    /// The call took the answer.
    Taken,
    /// The call went away without one.
    Closed,
}

#[allow(non_camel_case_types)]
pub struct tairitsu_completion {
    state: Mutex<State>,
    nresults: usize,
}

// The values inside are plain data owned by the completion until taken.
unsafe impl Send for State {}

impl tairitsu_completion {
    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// The call's side: closes the completion when the call goes away unanswered.
struct CallSide(Arc<tairitsu_completion>);

impl Drop for CallSide {
    fn drop(&mut self) {
        let mut state = self.0.lock();
        if !matches!(*state, State::Taken) {
            *state = State::Closed;
        }
    }
}

/// C++'s host function: it gets the arguments and a completion (one
/// reference, released with `tairitsu_completion_release`). A non-NULL error
/// fails the call at once.
pub type TairitsuAsyncHostCallback = extern "C" fn(
    env: *mut c_void,
    context: WasmtimeStoreContextMut<'_>,
    ty: &wasmtime_component_func_type_t,
    args: *mut wasmtime_component_val_t,
    nargs: usize,
    nresults: usize,
    completion: *const tairitsu_completion,
) -> Option<Box<wasmtime_error_t>>;

struct HostEnv {
    callback: TairitsuAsyncHostCallback,
    env: *mut c_void,
    finalizer: Option<extern "C" fn(*mut c_void)>,
}
unsafe impl Send for HostEnv {}
unsafe impl Sync for HostEnv {}
impl Drop for HostEnv {
    fn drop(&mut self) {
        if let Some(f) = self.finalizer {
            f(self.env);
        }
    }
}

/// Waits for the completion's answer, or for the call's deadline (the one the
/// calling thread had when the guest called: C++ sets it for the whole call).
async fn answer(call: &CallSide, deadline_ns: i64) -> wasmtime::Result<Vec<wasmtime_component_val_t>> {
    poll_fn(|cx| {
        let mut state = call.0.lock();
        match std::mem::replace(&mut *state, State::Taken) {
            State::Finished(answer) => {
                crate::sync_annotations::acquire(Arc::as_ptr(&call.0));
                Poll::Ready(answer.map_err(|e| wasmtime::Error::from(*e)))
            }
            State::Waiting(_) if deadline_ns != i64::MAX && monotonic_ns() >= deadline_ns => {
                *state = State::Closed;
                Poll::Ready(Err(format_err!(
                    "the call's deadline passed while the guest waited for an async host function"
                )))
            }
            State::Waiting(_) => {
                *state = State::Waiting(Some(cx.waker().clone()));
                Poll::Pending
            }
            State::Taken | State::Closed => {
                *state = State::Closed;
                Poll::Ready(Err(format_err!("the async host function's completion was closed")))
            }
        }
    })
    .await
}

/// Defines `name` in `instance` as an async host function. NULL on success.
#[no_mangle]
pub unsafe extern "C" fn tairitsu_linker_instance_add_async_func(
    instance: &mut wasmtime_component_linker_instance_t<'_>,
    name: *const u8,
    name_len: usize,
    callback: TairitsuAsyncHostCallback,
    env: *mut c_void,
    finalizer: Option<extern "C" fn(*mut c_void)>,
) -> Option<Box<wasmtime_error_t>> {
    let host = HostEnv { callback, env, finalizer };
    // `wasmtime_component_linker_instance_t` is a `#[repr(transparent)]` LinkerInstance.
    let linker = &mut *(instance as *mut wasmtime_component_linker_instance_t<'_>
        as *mut LinkerInstance<'_, WasmtimeStoreData>);
    let name = match std::str::from_utf8(std::slice::from_raw_parts(name, name_len)) {
        Ok(n) => n,
        Err(_) => return Some(Box::new(wasmtime_error_t::from(format_err!("a function name is not UTF-8")))),
    };
    let result = linker.func_new_async(name, move |store, ty, params, results| {
        let _ = &host;
        let deadline_ns = current_deadline_ns();
        let mut args: Vec<wasmtime_component_val_t> = params.iter().map(wasmtime_component_val_t::from).collect();
        let completion =
            Arc::new(tairitsu_completion { state: Mutex::new(State::Waiting(None)), nresults: results.len() });
        let call = CallSide(completion.clone());
        let failed = (host.callback)(
            host.env,
            store,
            &ty.into(),
            args.as_mut_ptr(),
            args.len(),
            results.len(),
            Arc::into_raw(completion),
        );
        Box::new(async move {
            if let Some(e) = failed {
                return Err(wasmtime::Error::from(*e));
            }
            let values = answer(&call, deadline_ns).await?;
            for (slot, value) in results.iter_mut().zip(values.iter()) {
                *slot = Val::from(value);
            }
            Ok(())
        })
    });
    result.err().map(|e| Box::new(wasmtime_error_t::from(e)))
}

/// What finishing a completion came to.
#[repr(C)]
#[allow(non_camel_case_types)]
pub enum tairitsu_completion_status {
    /// The call takes the answer.
    Delivered = 0,
    /// The completion was finished before: this answer is dropped.
    AlreadyFinished = 1,
    /// The call is gone (its container stopped or failed, its deadline
    /// passed): this answer is dropped.
    CallGone = 2,
}

/// Finishes the call with `results` (`nresults` values) or, when `error` is
/// not NULL, with that error. Both are taken over, whatever the status.
#[no_mangle]
pub unsafe extern "C" fn tairitsu_completion_finish(
    completion: &tairitsu_completion,
    results: *mut wasmtime_component_val_t,
    nresults: usize,
    error: Option<Box<wasmtime_error_t>>,
) -> tairitsu_completion_status {
    let answer = match error {
        Some(e) => Err(e),
        None if nresults != completion.nresults => Err(Box::new(wasmtime_error_t::from(format_err!(
            "the async host function answered with {nresults} results where {} are expected",
            completion.nresults
        )))),
        None => Ok((0..nresults).map(|i| std::ptr::read(results.add(i))).collect::<Vec<_>>()),
    };
    crate::sync_annotations::release(completion as *const tairitsu_completion);
    let mut state = completion.lock();
    match &mut *state {
        State::Waiting(waker) => {
            let waker = waker.take();
            *state = State::Finished(answer);
            drop(state);
            if let Some(w) = waker {
                w.wake();
            }
            tairitsu_completion_status::Delivered
        }
        State::Finished(_) | State::Taken => tairitsu_completion_status::AlreadyFinished,
        State::Closed => tairitsu_completion_status::CallGone,
    }
}

/// Whether the call still waits for this completion.
#[no_mangle]
pub extern "C" fn tairitsu_completion_pending(completion: &tairitsu_completion) -> bool {
    matches!(*completion.lock(), State::Waiting(_))
}

/// Releases C++'s reference.
#[no_mangle]
pub unsafe extern "C" fn tairitsu_completion_release(completion: *const tairitsu_completion) {
    if !completion.is_null() {
        drop(Arc::from_raw(completion));
    }
}
