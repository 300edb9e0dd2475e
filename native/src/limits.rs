//! A container's resource limits, counted over the whole store: every linear
//! memory and every table together, so that a guest cannot get around a
//! limit by spreading over many memories or tables, and a table counts
//! toward the memory limit (Wasmtime keeps each element in 8 bytes). A growth
//! past a limit traps with the limit named (a guest rarely checks
//! `memory.grow`'s -1); a growth refused for other reasons (a memory's own
//! maximum) returns -1, as the specification says. The limiter records which
//! limit it enforced, so C++ reports the limit from that fact.

use wasmtime::{bail, Result, ResourceLimiter, Store};
use wasmtime_c_api::{wasmtime_error_t, wasmtime_store_t, WasmtimeStoreData};

/// Bytes a table element costs the host.
const TABLE_ELEMENT_BYTES: usize = 8;

/// Which limit stopped a growth (`tairitsu_limiter_hit`).
pub const HIT_NONE: u32 = 0;
pub const HIT_MEMORY: u32 = 1;
pub const HIT_TABLE: u32 = 2;

pub struct TairitsuLimiter {
    memory_bytes: Option<usize>,
    table_elements: Option<usize>,
    instances: usize,
    /// Bytes of every linear memory and table of the store.
    bytes_in_use: usize,
    /// Elements of every table of the store.
    elements_in_use: usize,
    /// The last growth allowed, given back if the growth then fails.
    pending_bytes: usize,
    pending_elements: usize,
    hit: u32,
}

impl TairitsuLimiter {
    fn grow(&mut self, bytes: usize, elements: usize) -> Result<bool> {
        let total = self.bytes_in_use.saturating_add(bytes);
        if let Some(limit) = self.memory_bytes {
            if total > limit {
                self.hit = HIT_MEMORY;
                bail!("memory limit of {limit} bytes exceeded (linear memories and tables would use {total})");
            }
        }
        let count = self.elements_in_use.saturating_add(elements);
        if let Some(limit) = self.table_elements {
            if count > limit {
                self.hit = HIT_TABLE;
                bail!("table limit of {limit} elements exceeded (tables would hold {count})");
            }
        }
        self.bytes_in_use = total;
        self.elements_in_use = count;
        self.pending_bytes = bytes;
        self.pending_elements = elements;
        Ok(true)
    }

    fn undo(&mut self) {
        self.bytes_in_use -= self.pending_bytes;
        self.elements_in_use -= self.pending_elements;
        self.pending_bytes = 0;
        self.pending_elements = 0;
    }
}

impl ResourceLimiter for TairitsuLimiter {
    fn memory_growing(&mut self, current: usize, desired: usize, _maximum: Option<usize>) -> Result<bool> {
        self.grow(desired.saturating_sub(current), 0)
    }

    fn memory_grow_failed(&mut self, _error: wasmtime::Error) -> Result<()> {
        self.undo();
        Ok(())
    }

    fn table_growing(&mut self, current: usize, desired: usize, _maximum: Option<usize>) -> Result<bool> {
        let elements = desired.saturating_sub(current);
        self.grow(elements.saturating_mul(TABLE_ELEMENT_BYTES), elements)
    }

    fn table_grow_failed(&mut self, _error: wasmtime::Error) -> Result<()> {
        self.undo();
        Ok(())
    }

    fn instances(&self) -> usize {
        self.instances
    }
}

// The C API's store is a single-field wrapper of `Store<WasmtimeStoreData>`.
fn store_of(store: &mut wasmtime_store_t) -> &mut Store<WasmtimeStoreData> {
    unsafe { &mut *(store as *mut wasmtime_store_t as *mut Store<WasmtimeStoreData>) }
}
const _: () = assert!(
    std::mem::size_of::<wasmtime_store_t>() == std::mem::size_of::<Store<WasmtimeStoreData>>()
);

/// A raw pointer the store's limiter closure can carry across threads with
/// the store; the limiter lives until `tairitsu_limiter_delete`, which C++
/// calls only after deleting the store.
struct LimiterPtr(*mut TairitsuLimiter);
unsafe impl Send for LimiterPtr {}
unsafe impl Sync for LimiterPtr {}

/// Installs a limiter on `store` (negative means unlimited; instances
/// negative means Wasmtime's default of 10,000) and returns it. Delete it
/// with `tairitsu_limiter_delete` after the store.
#[no_mangle]
pub extern "C" fn tairitsu_limiter_install(
    store: &mut wasmtime_store_t,
    memory_bytes: i64,
    table_elements: i64,
    instances: i64,
) -> *mut TairitsuLimiter {
    let limiter = Box::into_raw(Box::new(TairitsuLimiter {
        memory_bytes: usize::try_from(memory_bytes).ok(),
        table_elements: usize::try_from(table_elements).ok(),
        instances: usize::try_from(instances).unwrap_or(wasmtime::DEFAULT_INSTANCE_LIMIT),
        bytes_in_use: 0,
        elements_in_use: 0,
        pending_bytes: 0,
        pending_elements: 0,
        hit: HIT_NONE,
    }));
    let ptr = LimiterPtr(limiter);
    store_of(store).limiter(move |_| {
        let ptr = &ptr;
        unsafe { &mut *ptr.0 }
    });
    limiter
}

/// Which limit the limiter last enforced (a `HIT_*`), and forgets it.
#[no_mangle]
pub extern "C" fn tairitsu_limiter_take_hit(limiter: &mut TairitsuLimiter) -> u32 {
    std::mem::replace(&mut limiter.hit, HIT_NONE)
}

#[no_mangle]
pub extern "C" fn tairitsu_limiter_delete(limiter: *mut TairitsuLimiter) {
    if !limiter.is_null() {
        drop(unsafe { Box::from_raw(limiter) });
    }
}

/// The trap code of an error that is a wasm trap (Wasmtime's `Trap` as its
/// number, the same as `wasmtime_trap_code_t`), or -1.
#[no_mangle]
pub extern "C" fn tairitsu_error_trap_code(error: &wasmtime_error_t) -> i32 {
    // `wasmtime_error_t` is a `#[repr(C)]` wrapper of `wasmtime::Error`.
    let error = unsafe { &*(error as *const wasmtime_error_t as *const wasmtime::Error) };
    match error.downcast_ref::<wasmtime::Trap>() {
        Some(trap) => trap_number(*trap),
        None => -1,
    }
}

fn trap_number(trap: wasmtime::Trap) -> i32 {
    use wasmtime::Trap::*;
    match trap {
        StackOverflow => 0,
        MemoryOutOfBounds => 1,
        HeapMisaligned => 2,
        TableOutOfBounds => 3,
        IndirectCallToNull => 4,
        BadSignature => 5,
        IntegerOverflow => 6,
        IntegerDivisionByZero => 7,
        BadConversionToInteger => 8,
        UnreachableCodeReached => 9,
        Interrupt => 10,
        OutOfFuel => 11,
        _ => 100,
    }
}
