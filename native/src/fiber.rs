//! Work that must run on a fiber: calls and instantiations of containers whose
//! engine is concurrent (component-model async) or whose host functions are
//! async. Their futures are driven here, on the calling thread, with a waker
//! that unparks it: a guest suspended in an async host function waits without
//! spinning until the host completes the call (from any thread) or the call's
//! deadline comes.

use std::future::Future;
use std::pin::pin;
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};
use std::thread::Thread;
use std::time::Duration;

use wasmtime::component::{Func, Instance, Linker, ResourceAny, Val};
use wasmtime_c_api::{
    wasmtime_component_linker_t, wasmtime_component_resource_any_t, wasmtime_component_t, wasmtime_component_val_t,
    wasmtime_error_t, WasmtimeStoreContextMut, WasmtimeStoreData,
};

use wasmtime_wasi::runtime::with_ambient_tokio_runtime;

use crate::call_deadline::{current_deadline_ns, monotonic_ns};

struct Unpark(Thread);

impl Wake for Unpark {
    fn wake(self: Arc<Self>) {
        self.0.unpark();
    }
    fn wake_by_ref(self: &Arc<Self>) {
        self.0.unpark();
    }
}

/// Polls `future` until it is ready, parking the thread in between until a
/// waker fires or the calling thread's call deadline comes (the futures that
/// wait check the deadline themselves when polled again).
pub(crate) fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    let waker = Waker::from(Arc::new(Unpark(std::thread::current())));
    let mut cx = Context::from_waker(&waker);
    loop {
        // WASI's own pollables (its clocks, its stdio) need a Tokio context.
        if let Poll::Ready(output) = with_ambient_tokio_runtime(|| future.as_mut().poll(&mut cx)) {
            return output;
        }
        let deadline = current_deadline_ns();
        if deadline == i64::MAX {
            std::thread::park();
        } else {
            let left = deadline.saturating_sub(monotonic_ns());
            if left > 0 {
                std::thread::park_timeout(Duration::from_nanos(left as u64));
            }
        }
    }
}

// The C API type is a single-field `#[repr(C)]` wrapper of `ResourceAny`.
const _: () = assert!(
    std::mem::size_of::<wasmtime_component_resource_any_t>() == std::mem::size_of::<ResourceAny>()
);

/// The `ResourceAny` a C API resource handle wraps.
pub(crate) fn resource_any(handle: &wasmtime_component_resource_any_t) -> ResourceAny {
    unsafe { *(handle as *const wasmtime_component_resource_any_t as *const ResourceAny) }
}

fn error(e: wasmtime::Error) -> Option<Box<wasmtime_error_t>> {
    Some(Box::new(wasmtime_error_t::from(e)))
}

/// Drops a resource handle on a fiber: the form that works inside a host
/// function of a concurrent engine, where a plain drop is refused as a
/// blocking call. NULL on success.
#[no_mangle]
pub extern "C" fn tairitsu_resource_any_drop_async(
    store: WasmtimeStoreContextMut<'_>,
    resource: &wasmtime_component_resource_any_t,
) -> Option<Box<wasmtime_error_t>> {
    let resource = resource_any(resource);
    block_on(resource.resource_drop_async(store)).err().and_then(error)
}

/// Calls `func` on a fiber and waits for the end. NULL on success with the
/// results written.
#[no_mangle]
pub extern "C" fn tairitsu_func_call_on_fiber(
    func: &Func,
    mut store: WasmtimeStoreContextMut<'_>,
    args: *const wasmtime_component_val_t,
    nargs: usize,
    results: *mut wasmtime_component_val_t,
    nresults: usize,
) -> Option<Box<wasmtime_error_t>> {
    let args: Vec<Val> = if nargs == 0 {
        Vec::new()
    } else {
        unsafe { std::slice::from_raw_parts(args, nargs) }.iter().map(Val::from).collect()
    };
    let mut out = vec![Val::Bool(false); nresults];
    if let Err(e) = block_on(func.call_async(&mut store, &args, &mut out)) {
        return error(e);
    }
    for (i, v) in out.iter().enumerate() {
        unsafe { *results.add(i) = wasmtime_component_val_t::from(v) };
    }
    None
}

/// Instantiates `component` with `linker` on a fiber and waits for the end.
#[no_mangle]
pub extern "C" fn tairitsu_linker_instantiate_on_fiber(
    linker: &wasmtime_component_linker_t,
    store: WasmtimeStoreContextMut<'_>,
    component: &wasmtime_component_t,
    instance_out: &mut Instance,
) -> Option<Box<wasmtime_error_t>> {
    // Both C API types are `#[repr(transparent)]` wrappers (see instance_pre.rs).
    let linker = unsafe { &*(linker as *const wasmtime_component_linker_t as *const Linker<WasmtimeStoreData>) };
    let component =
        unsafe { &*(component as *const wasmtime_component_t as *const wasmtime::component::Component) };
    match block_on(linker.instantiate_async(store, component)) {
        Ok(instance) => {
            *instance_out = instance;
            None
        }
        Err(e) => error(e),
    }
}
