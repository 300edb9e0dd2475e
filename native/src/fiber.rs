//! Work that a concurrent engine (component-model async) must do on a fiber:
//! its `*_async` forms, polled here to their end, since nothing outside the
//! store can wake them (Tairitsu's host functions answer synchronously).

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use wasmtime::component::ResourceAny;
use wasmtime_c_api::{wasmtime_component_resource_any_t, wasmtime_error_t, WasmtimeStoreContextMut};

/// Polls `future` until it is ready, again at once whenever it yields.
pub(crate) fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
            return output;
        }
    }
}

// The C API type is a single-field `#[repr(C)]` wrapper of `ResourceAny`.
const _: () = assert!(
    std::mem::size_of::<wasmtime_component_resource_any_t>() == std::mem::size_of::<ResourceAny>()
);

/// Drops a resource handle on a fiber: the form that works inside a host
/// function of a concurrent engine, where a plain drop is refused as a
/// blocking call. NULL on success.
#[no_mangle]
pub extern "C" fn tairitsu_resource_any_drop_async(
    store: WasmtimeStoreContextMut<'_>,
    resource: &wasmtime_component_resource_any_t,
) -> Option<Box<wasmtime_error_t>> {
    let resource = unsafe { *(resource as *const wasmtime_component_resource_any_t as *const ResourceAny) };
    match block_on(resource.resource_drop_async(store)) {
        Ok(()) => None,
        Err(e) => Some(Box::new(wasmtime_error_t::from(e))),
    }
}
