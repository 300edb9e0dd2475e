//! Store limits that trap when exceeded. The C API's `wasmtime_store_limiter`
//! makes a failed `memory.grow` return -1, which many guests never check; a
//! container limit should instead stop the guest with a clear trap.

use wasmtime::StoreLimitsBuilder;
use wasmtime_c_api::WasmtimeStoreContextMut;

/// Replaces the store's limits with the given ones (negative means unlimited)
/// and makes a growth beyond them trap. Call `wasmtime_store_limiter` first:
/// it installs the limiter that reads these limits.
#[no_mangle]
pub extern "C" fn tairitsu_store_trap_on_grow_failure(
    mut context: WasmtimeStoreContextMut<'_>,
    memory_size: i64,
    table_elements: i64,
    instances: i64,
) {
    let mut limits = StoreLimitsBuilder::new().trap_on_grow_failure(true);
    if memory_size >= 0 {
        limits = limits.memory_size(memory_size as usize);
    }
    if table_elements >= 0 {
        limits = limits.table_elements(table_elements as usize);
    }
    if instances >= 0 {
        limits = limits.instances(instances as usize);
    }
    context.data_mut().store_limits = limits.build();
}
