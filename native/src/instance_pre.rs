//! Pre-instantiation, which the C API lacks: a component's imports resolved
//! against a linker once, so that each further instance skips the work.

use wasmtime::component::{Component, Instance, InstancePre, Linker};
use crate::fiber::block_on;
use wasmtime_c_api::{
    wasmtime_component_linker_t, wasmtime_component_t, wasmtime_error_t, WasmtimeStoreContextMut,
    WasmtimeStoreData,
};

/// A component pre-instantiated against a linker.
pub struct TairitsuInstancePre {
    pre: InstancePre<WasmtimeStoreData>,
}

// Both C API types are `#[repr(transparent)]` wrappers of these.
pub(crate) fn linker_of(linker: &wasmtime_component_linker_t) -> &Linker<WasmtimeStoreData> {
    unsafe { &*(linker as *const wasmtime_component_linker_t as *const Linker<WasmtimeStoreData>) }
}
pub(crate) fn component_of(component: &wasmtime_component_t) -> &Component {
    unsafe { &*(component as *const wasmtime_component_t as *const Component) }
}
const _: () = assert!(
    std::mem::size_of::<wasmtime_component_linker_t>() == std::mem::size_of::<Linker<WasmtimeStoreData>>()
        && std::mem::size_of::<wasmtime_component_t>() == std::mem::size_of::<Component>()
);

/// Resolves `component`'s imports against `linker`. NULL on success with
/// `out` set (free it with `tairitsu_instance_pre_delete`).
#[no_mangle]
pub extern "C" fn tairitsu_instance_pre_new(
    linker: &wasmtime_component_linker_t,
    component: &wasmtime_component_t,
    out: &mut *mut TairitsuInstancePre,
) -> Option<Box<wasmtime_error_t>> {
    match linker_of(linker).instantiate_pre(component_of(component)) {
        Ok(pre) => {
            *out = Box::into_raw(Box::new(TairitsuInstancePre { pre }));
            None
        }
        Err(e) => Some(Box::new(wasmtime_error_t::from(e))),
    }
}

/// Instantiates into `store`. NULL on success with `instance_out` set.
#[no_mangle]
pub extern "C" fn tairitsu_instance_pre_instantiate(
    pre: &TairitsuInstancePre,
    store: WasmtimeStoreContextMut<'_>,
    instance_out: &mut Instance,
) -> Option<Box<wasmtime_error_t>> {
    deliver(pre.pre.instantiate(store), instance_out)
}

/// Instantiates on a fiber and waits for it: for engines with component-model
/// async, whose start functions may suspend (a plain instantiation would panic).
#[no_mangle]
pub extern "C" fn tairitsu_instance_pre_instantiate_async(
    pre: &TairitsuInstancePre,
    store: WasmtimeStoreContextMut<'_>,
    instance_out: &mut Instance,
) -> Option<Box<wasmtime_error_t>> {
    deliver(block_on(pre.pre.instantiate_async(store)), instance_out)
}

/// An instantiation's outcome as the C side takes it: NULL with `out` set, or the error.
fn deliver(result: wasmtime::Result<Instance>, out: &mut Instance) -> Option<Box<wasmtime_error_t>> {
    match result {
        Ok(instance) => {
            *out = instance;
            None
        }
        Err(e) => Some(Box::new(wasmtime_error_t::from(e))),
    }
}

#[no_mangle]
pub extern "C" fn tairitsu_instance_pre_delete(pre: Option<Box<TairitsuInstancePre>>) {
    drop(pre);
}
