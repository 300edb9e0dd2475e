//! Typed calls of common signatures without the C API's generic values.
//!
//! The C API's `wasmtime_component_func_call` turns every argument and result
//! into a tagged value and back, element by element. For the signatures
//! listed in `Shape`, this calls through Wasmtime's `TypedFunc` instead, so
//! that scalars go straight into the guest and strings and byte lists are
//! copied in one piece. This file is the one catalogue of those signatures:
//! the engine learns a function's shape by asking `tairitsu_fast_shape` with
//! the function's WIT signature, and checks it against the function's type
//! once (`tairitsu_fast_check`); calls then skip that check.

use std::cell::Cell;
use std::ffi::c_void;

use wasmtime::component::__internal::{CanonicalAbiInfo, InstanceType, InterfaceType, LiftContext};
use wasmtime::component::{ComponentType, Func, Lift, LinkerInstance, TypedFunc};
use wasmtime::StoreContextMut;
use wasmtime_c_api::{
    wasmtime_component_linker_instance_t, wasmtime_error_t, WasmtimeStoreContextMut, WasmtimeStoreData,
};

use crate::componentize::TairitsuBytes;

/// A borrowed run of bytes: a string's UTF-8 or a `list<u8>`.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct TairitsuSlice {
    pub data: *const u8,
    pub len: usize,
}

/// One argument or result of a typed call: a scalar's 64 raw bits (integers
/// sign- or zero-extended, floats as their IEEE bits, a char as its code
/// point, a bool as 0 or 1) or a run of bytes. The signature says which.
#[repr(C)]
#[derive(Clone, Copy)]
pub union TairitsuFlat {
    pub bits: u64,
    pub slice: TairitsuSlice,
}

macro_rules! shapes {
    ($($name:ident = $code:literal $wit:literal: ($($param:ty),*) -> ($($result:ty),*);)*) => {
        /// The signatures with a fast path, each with its number (the engine
        /// holds it, opaque) and its WIT signature without parameter names.
        #[derive(Clone, Copy, PartialEq)]
        enum Shape { $($name),* }

        impl Shape {
            fn from_code(code: u32) -> Option<Shape> {
                match code { $($code => Some(Shape::$name),)* _ => None }
            }

            fn code_of(signature: &str) -> u32 {
                match signature { $($wit => $code,)* _ => 0 }
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
    S32S32ToS32 = 1 "func(s32, s32) -> s32": (i32, i32) -> (i32);
    S32ToS32 = 2 "func(s32) -> s32": (i32) -> (i32);
    S64S64ToS64 = 3 "func(s64, s64) -> s64": (i64, i64) -> (i64);
    F64F64ToF64 = 4 "func(f64, f64) -> f64": (f64, f64) -> (f64);
    U32U32ToU32 = 5 "func(u32, u32) -> u32": (u32, u32) -> (u32);
    UnitToUnit = 6 "func()": () -> ();
    StringToString = 7 "func(string) -> string": (&str) -> (String);
    StringToUnit = 8 "func(string)": (&str) -> ();
    UnitToString = 9 "func() -> string": () -> (String);
    BytesToBytes = 10 "func(list<u8>) -> list<u8>": (&[u8]) -> (SinkBytes);
}

/// Where a `list<u8>` result goes: `put(env, data, len)` copies it into the
/// caller's buffer, straight from the guest's memory.
#[repr(C)]
pub struct TairitsuByteSink {
    env: *mut c_void,
    put: extern "C" fn(env: *mut c_void, data: *const u8, len: usize),
}

thread_local! {
    /// The sink of the fast call in progress on this thread (calls nest when
    /// a host function calls into another container).
    static SINK: Cell<*const TairitsuByteSink> = const { Cell::new(std::ptr::null()) };
}

/// A `list<u8>` result, lifted by copying it from the guest's memory into
/// the sink of the call in progress: one copy, where lifting a `Vec<u8>`
/// and copying that to C++ would make two and an allocation.
pub struct SinkBytes;

unsafe impl ComponentType for SinkBytes {
    type Lower = <[u8] as ComponentType>::Lower;
    const ABI: CanonicalAbiInfo = <[u8] as ComponentType>::ABI;

    fn typecheck(ty: &InterfaceType, types: &InstanceType<'_>) -> wasmtime::Result<()> {
        <[u8] as ComponentType>::typecheck(ty, types)
    }
}

unsafe impl Lift for SinkBytes {
    fn linear_lift_from_flat(cx: &mut LiftContext<'_>, _ty: InterfaceType, src: &Self::Lower) -> wasmtime::Result<Self> {
        SinkBytes::put(cx, src[0].get_u32(), src[1].get_u32())
    }

    fn linear_lift_from_memory(cx: &mut LiftContext<'_>, _ty: InterfaceType, bytes: &[u8]) -> wasmtime::Result<Self> {
        let word = |at: usize| u32::from_le_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]]);
        SinkBytes::put(cx, word(0), word(4))
    }
}

impl SinkBytes {
    fn put(cx: &mut LiftContext<'_>, ptr: u32, len: u32) -> wasmtime::Result<Self> {
        let (ptr, len) = (ptr as usize, len as usize);
        let memory = cx.memory();
        let Some(data) = ptr.checked_add(len).and_then(|end| memory.get(ptr..end)) else {
            wasmtime::bail!("list pointer/length out of bounds of memory");
        };
        cx.consume_fuel_array(len, 1)?;
        let sink = SINK.with(Cell::get);
        if sink.is_null() {
            wasmtime::bail!("a byte-list result has nowhere to go");
        }
        // Safe: the sink outlives the call it was set for.
        unsafe { ((*sink).put)((*sink).env, data.as_ptr(), len) };
        Ok(SinkBytes)
    }
}

unsafe fn text<'a>(slice: TairitsuSlice) -> wasmtime::Result<&'a str> {
    let bytes = std::slice::from_raw_parts(slice.data, slice.len);
    std::str::from_utf8(bytes).map_err(|e| wasmtime::Error::msg(format!("a string argument is not UTF-8: {e}")))
}

/// A string argument of a guest call: the caller (Container::call_fast) has
/// checked it is UTF-8 before arming the call, so it is not checked twice.
unsafe fn checked_text<'a>(slice: TairitsuSlice) -> &'a str {
    std::str::from_utf8_unchecked(bytes(slice))
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
    sink: *const TairitsuByteSink,
) -> wasmtime::Result<()> {
    // Safe because `tairitsu_fast_check` has checked this shape against the function.
    macro_rules! typed {
        ($p:ty, $r:ty) => {
            TypedFunc::<$p, $r>::new_unchecked(func)
        };
    }
    let bits = |i: usize| (*args.add(i)).bits;
    let slice = |i: usize| (*args.add(i)).slice;
    let out = |bits: u64| (*result).bits = bits;
    match shape {
        Shape::S32S32ToS32 => {
            out(typed!((i32, i32), (i32,)).call(&mut store, (bits(0) as i32, bits(1) as i32))?.0 as i64 as u64)
        }
        Shape::S32ToS32 => out(typed!((i32,), (i32,)).call(&mut store, (bits(0) as i32,))?.0 as i64 as u64),
        Shape::S64S64ToS64 => {
            out(typed!((i64, i64), (i64,)).call(&mut store, (bits(0) as i64, bits(1) as i64))?.0 as u64)
        }
        Shape::F64F64ToF64 => out(typed!((f64, f64), (f64,))
            .call(&mut store, (f64::from_bits(bits(0)), f64::from_bits(bits(1))))?
            .0
            .to_bits()),
        Shape::U32U32ToU32 => out(typed!((u32, u32), (u32,)).call(&mut store, (bits(0) as u32, bits(1) as u32))?.0 as u64),
        Shape::UnitToUnit => typed!((), ()).call(&mut store, ())?,
        Shape::StringToString => {
            let s = checked_text(slice(0));
            *owned = TairitsuBytes::from_vec(typed!((&str,), (String,)).call(&mut store, (s,))?.0.into_bytes());
        }
        Shape::StringToUnit => typed!((&str,), ()).call(&mut store, (checked_text(slice(0)),))?,
        Shape::UnitToString => {
            *owned = TairitsuBytes::from_vec(typed!((), (String,)).call(&mut store, ())?.0.into_bytes());
        }
        Shape::BytesToBytes => {
            let b = bytes(slice(0));
            let previous = SINK.with(|s| s.replace(sink));
            let called = typed!((&[u8],), (SinkBytes,)).call(&mut store, (b,));
            SINK.with(|s| s.set(previous));
            called?;
        }
    }
    Ok(())
}

/// The shape of the WIT signature `signature` written without parameter
/// names ("func(s32, s32) -> s32"), or 0 when it has no fast path.
#[no_mangle]
pub unsafe extern "C" fn tairitsu_fast_shape(signature: *const u8, len: usize) -> u32 {
    match std::str::from_utf8(bytes(TairitsuSlice { data: signature, len })) {
        Ok(text) => Shape::code_of(text),
        Err(_) => 0,
    }
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
/// `tairitsu_fast_check`): arguments in `args` (string arguments valid
/// UTF-8), a scalar result in `result`, a string result in `owned` (free it
/// with `tairitsu_bytes_free`), a byte-list result given to `sink`.
#[no_mangle]
pub unsafe extern "C" fn tairitsu_fast_call(
    func: &Func,
    store: WasmtimeStoreContextMut<'_>,
    shape: u32,
    args: *const TairitsuFlat,
    result: *mut TairitsuFlat,
    owned: *mut TairitsuBytes,
    sink: *const TairitsuByteSink,
) -> Option<Box<wasmtime_error_t>> {
    let Some(shape) = Shape::from_code(shape) else {
        return Some(Box::new(wasmtime_error_t::from(wasmtime::Error::msg("unknown fast-call shape"))));
    };
    match call(shape, *func, store, args, result, owned, sink) {
        Ok(()) => None,
        Err(e) => Some(Box::new(wasmtime_error_t::from(e))),
    }
}

/// A host function of a fast shape, as C sees it: arguments in `args`, a
/// scalar result in `result`, a string or byte result as `result.slice`
/// (borrowed from the host until the callback returns). NULL on success.
pub type TairitsuFastHostCallback = extern "C" fn(
    env: *mut c_void,
    store: WasmtimeStoreContextMut<'_>,
    args: *const TairitsuFlat,
    result: *mut TairitsuFlat,
) -> Option<Box<wasmtime_error_t>>;

struct HostEnv {
    callback: TairitsuFastHostCallback,
    env: *mut c_void,
}
// The environment is the host's; it promises to use it from any thread the store runs on.
unsafe impl Send for HostEnv {}
unsafe impl Sync for HostEnv {}

impl HostEnv {
    fn call(&self, store: StoreContextMut<'_, WasmtimeStoreData>, args: &[TairitsuFlat]) -> wasmtime::Result<TairitsuFlat> {
        let mut result = TairitsuFlat { bits: 0 };
        match (self.callback)(self.env, store, args.as_ptr(), &mut result) {
            None => Ok(result),
            Some(e) => Err((*e).into()),
        }
    }
}

fn flat(bits: u64) -> TairitsuFlat {
    TairitsuFlat { bits }
}

fn slice_of(bytes: &[u8]) -> TairitsuFlat {
    TairitsuFlat { slice: TairitsuSlice { data: bytes.as_ptr(), len: bytes.len() } }
}

unsafe fn owned_text(flat: TairitsuFlat) -> wasmtime::Result<String> {
    Ok(text(flat.slice)?.to_owned())
}

/// Defines `name` in `instance` as a host function of `shape` that calls
/// `callback(env, ...)`. NULL on success.
#[no_mangle]
pub unsafe extern "C" fn tairitsu_linker_instance_add_fast_func(
    instance: &mut wasmtime_component_linker_instance_t<'_>,
    name: *const u8,
    name_len: usize,
    shape: u32,
    callback: TairitsuFastHostCallback,
    env: *mut c_void,
) -> Option<Box<wasmtime_error_t>> {
    // `wasmtime_component_linker_instance_t` is a `#[repr(transparent)]` LinkerInstance.
    let linker = &mut *(instance as *mut wasmtime_component_linker_instance_t<'_>
        as *mut LinkerInstance<'_, WasmtimeStoreData>);
    let name = match std::str::from_utf8(std::slice::from_raw_parts(name, name_len)) {
        Ok(n) => n,
        Err(_) => return Some(Box::new(wasmtime_error_t::from(wasmtime::Error::msg("a function name is not UTF-8")))),
    };
    let host = HostEnv { callback, env };
    type Store<'a> = StoreContextMut<'a, WasmtimeStoreData>;
    let result = match Shape::from_code(shape) {
        Some(Shape::S32S32ToS32) => linker.func_wrap(name, move |s: Store<'_>, (a, b): (i32, i32)| {
            Ok((host.call(s, &[flat(a as i64 as u64), flat(b as i64 as u64)])?.bits as i32,))
        }),
        Some(Shape::S32ToS32) => linker.func_wrap(name, move |s: Store<'_>, (a,): (i32,)| {
            Ok((host.call(s, &[flat(a as i64 as u64)])?.bits as i32,))
        }),
        Some(Shape::S64S64ToS64) => linker.func_wrap(name, move |s: Store<'_>, (a, b): (i64, i64)| {
            Ok((host.call(s, &[flat(a as u64), flat(b as u64)])?.bits as i64,))
        }),
        Some(Shape::F64F64ToF64) => linker.func_wrap(name, move |s: Store<'_>, (a, b): (f64, f64)| {
            Ok((f64::from_bits(host.call(s, &[flat(a.to_bits()), flat(b.to_bits())])?.bits),))
        }),
        Some(Shape::U32U32ToU32) => linker.func_wrap(name, move |s: Store<'_>, (a, b): (u32, u32)| {
            Ok((host.call(s, &[flat(a as u64), flat(b as u64)])?.bits as u32,))
        }),
        Some(Shape::UnitToUnit) => linker.func_wrap(name, move |s: Store<'_>, (): ()| {
            host.call(s, &[])?;
            Ok(())
        }),
        Some(Shape::StringToString) => linker.func_wrap(name, move |s: Store<'_>, (a,): (String,)| {
            let r = host.call(s, &[slice_of(a.as_bytes())])?;
            Ok((owned_text(r)?,))
        }),
        Some(Shape::StringToUnit) => linker.func_wrap(name, move |s: Store<'_>, (a,): (String,)| {
            host.call(s, &[slice_of(a.as_bytes())])?;
            Ok(())
        }),
        Some(Shape::UnitToString) => linker.func_wrap(name, move |s: Store<'_>, (): ()| {
            let r = host.call(s, &[])?;
            Ok((owned_text(r)?,))
        }),
        Some(Shape::BytesToBytes) => linker.func_wrap(name, move |s: Store<'_>, (a,): (Vec<u8>,)| {
            let r = host.call(s, &[slice_of(&a)])?;
            Ok((bytes(r.slice).to_vec(),))
        }),
        None => Err(wasmtime::Error::msg("unknown fast-call shape")),
    };
    match result {
        Ok(()) => None,
        Err(e) => Some(Box::new(wasmtime_error_t::from(e))),
    }
}
