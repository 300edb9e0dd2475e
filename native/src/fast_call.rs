//! Typed calls of common signatures without the C API's generic values.
//!
//! The C API's `wasmtime_component_func_call` turns every argument and result
//! into a tagged value and back, element by element. For the signatures
//! listed in `Shape`, this calls through Wasmtime's `TypedFunc` instead, so
//! that scalars go straight into the guest and strings and byte lists are
//! copied in one piece. The shape is checked against the function's type once
//! (`tairitsu_fast_check`); calls then skip that check.

use wasmtime::component::{Func, TypedFunc};
use wasmtime_c_api::{wasmtime_error_t, WasmtimeStoreContextMut};

use crate::componentize::TairitsuBytes;

/// A borrowed run of bytes: a string's UTF-8 or a `list<u8>`.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct TairitsuSlice {
    pub data: *const u8,
    pub len: usize,
}

/// One argument or result of a fast call. Which member is meant follows from the shape.
#[repr(C)]
#[derive(Clone, Copy)]
pub union TairitsuFlat {
    pub s32: i32,
    pub u32: u32,
    pub s64: i64,
    pub f64: f64,
    pub slice: TairitsuSlice,
}

macro_rules! shapes {
    ($($name:ident = $code:literal: ($($param:ty),*) -> ($($result:ty),*);)*) => {
        /// The signatures with a fast path; the numbers are `TAIRITSU_SHAPE_*` in the C header.
        #[derive(Clone, Copy)]
        enum Shape { $($name),* }

        impl Shape {
            fn from_code(code: u32) -> Option<Shape> {
                match code { $($code => Some(Shape::$name),)* _ => None }
            }
        }

        fn check(shape: Shape, func: &Func, store: &WasmtimeStoreContextMut<'_>) -> wasmtime::Result<()> {
            match shape {
                $(Shape::$name => { func.typed::<($($param,)*), ($($result,)*)>(store)?; })*
            }
            Ok(())
        }
    };
}

shapes! {
    S32S32ToS32 = 1: (i32, i32) -> (i32);
    S32ToS32 = 2: (i32) -> (i32);
    S64S64ToS64 = 3: (i64, i64) -> (i64);
    F64F64ToF64 = 4: (f64, f64) -> (f64);
    U32U32ToU32 = 5: (u32, u32) -> (u32);
    UnitToUnit = 6: () -> ();
    StringToString = 7: (&str) -> (String);
    StringToUnit = 8: (&str) -> ();
    UnitToString = 9: () -> (String);
    BytesToBytes = 10: (&[u8]) -> (Vec<u8>);
}

unsafe fn text<'a>(slice: TairitsuSlice) -> wasmtime::Result<&'a str> {
    let bytes = std::slice::from_raw_parts(slice.data, slice.len);
    std::str::from_utf8(bytes).map_err(|e| wasmtime::Error::msg(format!("a string argument is not UTF-8: {e}")))
}

unsafe fn bytes<'a>(slice: TairitsuSlice) -> &'a [u8] {
    if slice.len == 0 {
        &[]
    } else {
        std::slice::from_raw_parts(slice.data, slice.len)
    }
}

unsafe fn call(
    shape: Shape,
    func: Func,
    mut store: WasmtimeStoreContextMut<'_>,
    args: *const TairitsuFlat,
    result: *mut TairitsuFlat,
    owned: *mut TairitsuBytes,
) -> wasmtime::Result<()> {
    // Safe because `tairitsu_fast_check` has checked this shape against the function.
    macro_rules! typed {
        ($p:ty, $r:ty) => {
            TypedFunc::<$p, $r>::new_unchecked(func)
        };
    }
    let arg = |i: usize| *args.add(i);
    match shape {
        Shape::S32S32ToS32 => (*result).s32 = typed!((i32, i32), (i32,)).call(&mut store, (arg(0).s32, arg(1).s32))?.0,
        Shape::S32ToS32 => (*result).s32 = typed!((i32,), (i32,)).call(&mut store, (arg(0).s32,))?.0,
        Shape::S64S64ToS64 => (*result).s64 = typed!((i64, i64), (i64,)).call(&mut store, (arg(0).s64, arg(1).s64))?.0,
        Shape::F64F64ToF64 => (*result).f64 = typed!((f64, f64), (f64,)).call(&mut store, (arg(0).f64, arg(1).f64))?.0,
        Shape::U32U32ToU32 => (*result).u32 = typed!((u32, u32), (u32,)).call(&mut store, (arg(0).u32, arg(1).u32))?.0,
        Shape::UnitToUnit => typed!((), ()).call(&mut store, ())?,
        Shape::StringToString => {
            let s = text(arg(0).slice)?;
            *owned = TairitsuBytes::from_vec(typed!((&str,), (String,)).call(&mut store, (s,))?.0.into_bytes());
        }
        Shape::StringToUnit => typed!((&str,), ()).call(&mut store, (text(arg(0).slice)?,))?,
        Shape::UnitToString => {
            *owned = TairitsuBytes::from_vec(typed!((), (String,)).call(&mut store, ())?.0.into_bytes());
        }
        Shape::BytesToBytes => {
            let b = bytes(arg(0).slice);
            *owned = TairitsuBytes::from_vec(typed!((&[u8],), (Vec<u8>,)).call(&mut store, (b,))?.0);
        }
    }
    Ok(())
}

/// Whether `func` has the signature `shape` stands for: 1 yes, 0 no (or an
/// unknown shape). Call once before `tairitsu_fast_call`.
#[no_mangle]
pub extern "C" fn tairitsu_fast_check(func: &Func, store: WasmtimeStoreContextMut<'_>, shape: u32) -> i32 {
    match Shape::from_code(shape) {
        Some(s) => check(s, func, &store).is_ok() as i32,
        None => 0,
    }
}

/// Calls `func` through the fast path of `shape` (checked with
/// `tairitsu_fast_check`): arguments in `args`, a scalar result in `result`, a
/// string or byte result in `owned` (free it with `tairitsu_bytes_free`).
#[no_mangle]
pub unsafe extern "C" fn tairitsu_fast_call(
    func: &Func,
    store: WasmtimeStoreContextMut<'_>,
    shape: u32,
    args: *const TairitsuFlat,
    result: *mut TairitsuFlat,
    owned: *mut TairitsuBytes,
) -> Option<Box<wasmtime_error_t>> {
    let Some(shape) = Shape::from_code(shape) else {
        return Some(Box::new(wasmtime_error_t::from(wasmtime::Error::msg("unknown fast-call shape"))));
    };
    match call(shape, *func, store, args, result, owned) {
        Ok(()) => None,
        Err(e) => Some(Box::new(wasmtime_error_t::from(e))),
    }
}
