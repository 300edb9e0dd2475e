//! Engine settings the C API does not name: WebAssembly and component-model
//! proposals switched by name, and engine creation that reports why a
//! configuration is refused (the C API's `wasm_engine_new_with_config` panics).

use std::slice;

use wasmtime::{Config, Engine};
use wasmtime_c_api::{wasm_config_t, wasm_engine_t, wasmtime_error_t};

// Both C API types are single-field `#[repr(C)]` wrappers of these.
fn config_of(config: &mut wasm_config_t) -> &mut Config {
    unsafe { &mut *(config as *mut wasm_config_t as *mut Config) }
}
const _: () = assert!(
    std::mem::size_of::<wasm_config_t>() == std::mem::size_of::<Config>()
        && std::mem::size_of::<wasm_engine_t>() == std::mem::size_of::<Engine>()
);

/// Every proposal a feature name can switch, by the name Wasmtime's own test
/// scripts use in their `;;!` lines.
fn set_feature(config: &mut Config, name: &str, on: bool) -> bool {
    match name {
        "threads" => config.wasm_threads(on),
        "bulk_memory" => config.wasm_bulk_memory(on),
        "multi_memory" => config.wasm_multi_memory(on),
        "multi_value" => config.wasm_multi_value(on),
        "memory64" => config.wasm_memory64(on),
        "custom_page_sizes" => config.wasm_custom_page_sizes(on),
        "reference_types" => config.wasm_reference_types(on),
        "function_references" => config.wasm_function_references(on),
        "gc" => config.wasm_gc(on),
        "exceptions" => config.wasm_exceptions(on),
        "simd" => config.wasm_simd(on),
        "relaxed_simd" => config.wasm_relaxed_simd(on),
        "tail_call" => config.wasm_tail_call(on),
        "extended_const" => config.wasm_extended_const(on),
        "wide_arithmetic" => config.wasm_wide_arithmetic(on),
        "branch_hinting" => config.wasm_branch_hinting(on),
        "stack_switching" => config.wasm_stack_switching(on),
        "component_model_async" => config.wasm_component_model_async(on),
        "component_model_more_async_builtins" => config.wasm_component_model_more_async_builtins(on),
        "component_model_async_stackful" => config.wasm_component_model_async_stackful(on),
        "component_model_threading" => config.wasm_component_model_threading(on),
        "component_model_error_context" => config.wasm_component_model_error_context(on),
        "component_model_gc" => config.wasm_component_model_gc(on),
        "component_model_map" => config.wasm_component_model_map(on),
        "component_model_memory64" => config.wasm_component_model_memory64(on),
        "component_model_fixed_length_lists" => config.wasm_component_model_fixed_length_lists(on),
        "component_model_implements" => config.wasm_component_model_implements(on),
        _ => return false,
    };
    true
}

/// Switches the proposal `name` on or off. 1 on success, 0 for a name this
/// build does not know.
#[no_mangle]
pub unsafe extern "C" fn tairitsu_config_set_feature(
    config: &mut wasm_config_t,
    name: *const u8,
    name_len: usize,
    enabled: bool,
) -> i32 {
    match std::str::from_utf8(slice::from_raw_parts(name, name_len)) {
        Ok(name) => set_feature(config_of(config), name, enabled) as i32,
        Err(_) => 0,
    }
}

/// Makes an engine of `config` (consumed). NULL on success with `out` set;
/// otherwise the reason the configuration was refused.
#[no_mangle]
pub extern "C" fn tairitsu_engine_new(
    mut config: Box<wasm_config_t>,
    out: &mut *mut wasm_engine_t,
) -> Option<Box<wasmtime_error_t>> {
    match Engine::new(config_of(&mut config)) {
        Ok(engine) => {
            *out = Box::into_raw(Box::new(engine)) as *mut wasm_engine_t;
            None
        }
        Err(e) => Some(Box::new(wasmtime_error_t::from(e))),
    }
}
