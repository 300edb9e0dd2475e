//! Calls of functions whose parameters and result are all scalars (bool,
//! integers, floats, char), with no heap allocation on the way in or out.
//!
//! The C API's `wasmtime_component_func_call` converts every argument and
//! result between its tagged `wasmtime_component_val_t` and Rust's `Val`,
//! collecting both into vectors. Here each scalar crosses as 64 raw bits (a
//! `TairitsuFlat`, as typed calls hold their arguments) plus its kind; the `Val`s are built on the stack and handed to `Func::call`,
//! whose own type check still refuses a kind that does not fit.

use std::mem::MaybeUninit;

use crate::fast_call::TairitsuFlat;
use crate::fiber::block_on;
use wasmtime::component::{Func, Val};
use wasmtime_c_api::{wasmtime_error_t, WasmtimeStoreContextMut};

/// The most parameters a scalar call takes: as many as the canonical ABI
/// passes as flat values (`TAIRITSU_SCALAR_MAX_PARAMS` in the C header).
const MAX_PARAMS: usize = 16;

// The kinds, numbered as `TAIRITSU_SCALAR_*` in the C header.
const BOOL: u8 = 0;
const S8: u8 = 1;
const U8: u8 = 2;
const S16: u8 = 3;
const U16: u8 = 4;
const S32: u8 = 5;
const U32: u8 = 6;
const S64: u8 = 7;
const U64: u8 = 8;
const F32: u8 = 9;
const F64: u8 = 10;
const CHAR: u8 = 11;

/// The value of kind `kind` whose raw bits are `raw`: integers sign- or
/// zero-extended to 64 bits, floats as their IEEE bits, a char as its code point.
fn to_val(kind: u8, raw: u64) -> wasmtime::Result<Val> {
    Ok(match kind {
        BOOL => Val::Bool(raw != 0),
        S8 => Val::S8(raw as i8),
        U8 => Val::U8(raw as u8),
        S16 => Val::S16(raw as i16),
        U16 => Val::U16(raw as u16),
        S32 => Val::S32(raw as i32),
        U32 => Val::U32(raw as u32),
        S64 => Val::S64(raw as i64),
        U64 => Val::U64(raw),
        F32 => Val::Float32(f32::from_bits(raw as u32)),
        F64 => Val::Float64(f64::from_bits(raw)),
        CHAR => match u32::try_from(raw).ok().and_then(char::from_u32) {
            Some(c) => Val::Char(c),
            None => wasmtime::bail!("char U+{raw} is not a Unicode scalar value"),
        },
        _ => wasmtime::bail!("unknown scalar kind {kind}"),
    })
}

/// The raw bits of a scalar, as `to_val` reads them.
fn to_raw(val: &Val) -> wasmtime::Result<u64> {
    Ok(match *val {
        Val::Bool(b) => b as u64,
        Val::S8(v) => v as i64 as u64,
        Val::U8(v) => v as u64,
        Val::S16(v) => v as i64 as u64,
        Val::U16(v) => v as u64,
        Val::S32(v) => v as i64 as u64,
        Val::U32(v) => v as u64,
        Val::S64(v) => v as u64,
        Val::U64(v) => v,
        Val::Float32(v) => v.to_bits() as u64,
        Val::Float64(v) => v.to_bits(),
        Val::Char(c) => c as u64,
        _ => wasmtime::bail!("the function's result is not a scalar"),
    })
}

unsafe fn call(
    func: &Func,
    mut store: WasmtimeStoreContextMut<'_>,
    kinds: *const u8,
    args: *const TairitsuFlat,
    nargs: usize,
    results: *mut u64,
    nresults: usize,
    concurrent: bool,
) -> wasmtime::Result<()> {
    if nargs > MAX_PARAMS || nresults > 1 {
        wasmtime::bail!("a scalar call takes at most {MAX_PARAMS} arguments and one result");
    }
    // Only the first `nargs` are written, and none is dropped: a scalar `Val`
    // owns nothing, and dropping a whole array of them showed in profiles.
    let mut params = [const { MaybeUninit::<Val>::uninit() }; MAX_PARAMS];
    for (i, param) in params.iter_mut().enumerate().take(nargs) {
        param.write(to_val(*kinds.add(i), (*args.add(i)).bits)?);
    }
    let params = std::slice::from_raw_parts(params.as_ptr().cast::<Val>(), nargs);
    let mut out = [const { Val::Bool(false) }; 1];
    if concurrent {
        block_on(func.call_async(&mut store, params, &mut out[..nresults]))?;
    } else {
        func.call(&mut store, params, &mut out[..nresults])?;
    }
    if nresults == 1 {
        *results = to_raw(&out[0])?;
    }
    Ok(())
}

/// Calls `func`, whose parameters and result are all scalars, with `nargs`
/// arguments of kinds `kinds` and raw bits `args[i].bits`; the result's raw bits go
/// to `results[0]` when `nresults` is 1. With `concurrent` (an engine with
/// component-model async) the call runs on a fiber. NULL on success.
#[no_mangle]
pub unsafe extern "C" fn tairitsu_scalar_call(
    func: &Func,
    store: WasmtimeStoreContextMut<'_>,
    kinds: *const u8,
    args: *const TairitsuFlat,
    nargs: usize,
    results: *mut u64,
    nresults: usize,
    concurrent: bool,
) -> Option<Box<wasmtime_error_t>> {
    match call(func, store, kinds, args, nargs, results, nresults, concurrent) {
        Ok(()) => None,
        Err(e) => Some(Box::new(wasmtime_error_t::from(e))),
    }
}
