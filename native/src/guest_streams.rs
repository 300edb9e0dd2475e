//! `wasi:io` streams that a guest made and handed to the host (its stdout,
//! a stream it got from another import), read and written from C++ while a
//! host function holds the handle.

use wasmtime::component::Resource;
use wasmtime_c_api::{wasmtime_component_resource_any_t, wasmtime_error_t, WasmtimeStoreContextMut};
use wasmtime_wasi::WasiView;
use wasmtime_wasi_io::streams::{DynInputStream, DynOutputStream, StreamError};

use crate::call_deadline::until_deadline;
use crate::fiber::resource_any;

fn error(e: impl Into<wasmtime::Error>) -> Option<Box<wasmtime_error_t>> {
    Some(Box::new(wasmtime_error_t::from(e.into())))
}

/// The WASI table index of a stream handle (an output-stream when `output`,
/// else an input-stream). An owned handle passes to the host, as when
/// reading a host resource's representation. NULL on success.
#[no_mangle]
pub extern "C" fn tairitsu_wasi_stream_rep(
    mut store: WasmtimeStoreContextMut<'_>,
    handle: &wasmtime_component_resource_any_t,
    output: bool,
    rep: &mut u32,
) -> Option<Box<wasmtime_error_t>> {
    let any = resource_any(handle);
    let result = if output {
        Resource::<DynOutputStream>::try_from_resource_any(any, &mut store).map(|r| r.rep())
    } else {
        Resource::<DynInputStream>::try_from_resource_any(any, &mut store).map(|r| r.rep())
    };
    match result {
        Ok(r) => {
            *rep = r;
            None
        }
        Err(e) => error(e),
    }
}

/// What a failed stream operation tells C++: 1 for `closed`, else an error.
fn stream_failure(e: StreamError, closed: &mut bool) -> Option<Box<wasmtime_error_t>> {
    match e {
        StreamError::Closed => {
            *closed = true;
            None
        }
        StreamError::LastOperationFailed(e) => error(e),
        StreamError::Trap(e) => error(e),
    }
}

/// Writes all of `bytes` to output-stream `rep` and flushes, waiting as the
/// call's deadline allows. `closed` is set (and NULL returned) when the
/// stream is closed. NULL on success.
#[no_mangle]
pub extern "C" fn tairitsu_wasi_stream_write(
    mut store: WasmtimeStoreContextMut<'_>,
    rep: u32,
    bytes: *const u8,
    len: usize,
    closed: &mut bool,
) -> Option<Box<wasmtime_error_t>> {
    *closed = false;
    let data = if len == 0 { &[][..] } else { unsafe { std::slice::from_raw_parts(bytes, len) } };
    let table = store.data_mut().ctx().table;
    let stream = match table.get_mut(&Resource::<DynOutputStream>::new_borrow(rep)) {
        Ok(s) => s,
        Err(e) => return error(e),
    };
    match until_deadline(stream.blocking_write_and_flush(bytes::Bytes::copy_from_slice(data))) {
        Ok(Ok(())) => None,
        Ok(Err(e)) => stream_failure(e, closed),
        Err(e) => error(e),
    }
}

/// Reads up to `len` bytes from input-stream `rep`, waiting for at least one
/// as the call's deadline allows. At the end of the stream, 0 bytes and
/// `closed`. NULL on success.
#[no_mangle]
pub extern "C" fn tairitsu_wasi_stream_read(
    mut store: WasmtimeStoreContextMut<'_>,
    rep: u32,
    out: *mut u8,
    len: usize,
    read: &mut usize,
    closed: &mut bool,
) -> Option<Box<wasmtime_error_t>> {
    *read = 0;
    *closed = false;
    let table = store.data_mut().ctx().table;
    let stream = match table.get_mut(&Resource::<DynInputStream>::new_borrow(rep)) {
        Ok(s) => s,
        Err(e) => return error(e),
    };
    match until_deadline(stream.blocking_read(len)) {
        Ok(Ok(bytes)) => {
            if !bytes.is_empty() {
                unsafe { std::ptr::copy_nonoverlapping(bytes.as_ptr(), out, bytes.len()) };
            }
            *read = bytes.len();
            None
        }
        Ok(Err(e)) => stream_failure(e, closed),
        Err(e) => error(e),
    }
}

/// Drops an owned stream handle the host holds and the stream with it (the
/// WASI table's entry: the other end sees the stream end). Dropping the
/// handle alone would leave the stream in the table until the store goes.
/// NULL on success.
#[no_mangle]
pub extern "C" fn tairitsu_wasi_stream_drop(
    mut store: WasmtimeStoreContextMut<'_>,
    handle: &wasmtime_component_resource_any_t,
    output: bool,
) -> Option<Box<wasmtime_error_t>> {
    let any = resource_any(handle);
    let result = if output {
        Resource::<DynOutputStream>::try_from_resource_any(any, &mut store)
            .and_then(|r| Ok(store.data_mut().ctx().table.delete(r).map(drop)?))
    } else {
        Resource::<DynInputStream>::try_from_resource_any(any, &mut store)
            .and_then(|r| Ok(store.data_mut().ctx().table.delete(r).map(drop)?))
    };
    result.err().and_then(error)
}
