//! Items of a component instance beyond its functions, which the C API does
//! not reach: the core modules and resource types it exports.

use std::slice;

use wasmtime::component::Instance;
use wasmtime::Module;
use wasmtime_c_api::{wasmtime_component_resource_type_t, wasmtime_module_t, WasmtimeStoreContextMut};

/// The export name the C side passes, when it is UTF-8 (no export has another).
unsafe fn export_name<'a>(name: *const u8, len: usize) -> Option<&'a str> {
    std::str::from_utf8(slice::from_raw_parts(name, len)).ok()
}

// The C API type is a single-field wrapper of `Module`.
const _: () = assert!(std::mem::size_of::<wasmtime_module_t>() == std::mem::size_of::<Module>());

/// The core module the instance exports at its root as `name`: 1 with `out`
/// set (free it with `wasmtime_module_delete`), 0 when there is none.
#[no_mangle]
pub unsafe extern "C" fn tairitsu_component_instance_get_module(
    instance: &Instance,
    store: WasmtimeStoreContextMut<'_>,
    name: *const u8,
    name_len: usize,
    out: &mut *mut wasmtime_module_t,
) -> i32 {
    let Some(name) = export_name(name, name_len) else {
        return 0;
    };
    match instance.get_module(store, name) {
        Some(module) => {
            *out = Box::into_raw(Box::new(module)) as *mut wasmtime_module_t;
            1
        }
        None => 0,
    }
}

/// The resource type the instance exports at its root as `name`: 1 with `out`
/// set (free it with `wasmtime_component_resource_type_delete`), 0 when there
/// is none.
#[no_mangle]
pub unsafe extern "C" fn tairitsu_component_instance_get_resource(
    instance: &Instance,
    store: WasmtimeStoreContextMut<'_>,
    name: *const u8,
    name_len: usize,
    out: &mut *mut wasmtime_component_resource_type_t,
) -> i32 {
    let Some(name) = export_name(name, name_len) else {
        return 0;
    };
    match instance.get_resource(store, name) {
        Some(ty) => {
            *out = Box::into_raw(Box::new(wasmtime_component_resource_type_t::from(ty)));
            1
        }
        None => 0,
    }
}
