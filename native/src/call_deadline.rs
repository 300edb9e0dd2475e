//! Call deadlines that reach into WASI's blocking calls.
//!
//! Epoch interruption stops a guest that computes past its deadline, but a
//! guest waiting inside a host call (sleeping through `wasi:io/poll`, reading
//! a stdin nobody writes, writing to a full pipe) runs no wasm, so no epoch
//! check fires. The synchronous WASI linker blocks the calling thread on a
//! future for each of those waits. This module links `wasi:io/poll` and
//! `wasi:io/streams` again over the sync ones: every non-blocking function is
//! the same, and every blocking one races its future against the calling
//! thread's call deadline, which C++ sets for the length of a call. When the
//! deadline comes first the host call traps; C++ knows it armed a deadline
//! and reports the limit.

use std::cell::Cell;
use std::future::Future;
use std::time::Duration;

use wasmtime::component::{HasData, Resource, ResourceTable};
use wasmtime::{format_err, Result};
use wasmtime_c_api::{wasmtime_component_linker_t, wasmtime_error_t, WasmtimeStoreData};
use wasmtime_wasi::p2::bindings::sync::io::{poll, streams};
use wasmtime_wasi::runtime::in_tokio;
use wasmtime_wasi::WasiView;
use wasmtime_wasi_io::bindings::wasi::io::poll as async_poll;
use wasmtime_wasi_io::bindings::wasi::io::streams::{
    HostInputStream as AsyncInput, HostOutputStream as AsyncOutput,
};
use wasmtime_wasi_io::poll::DynPollable;
use wasmtime_wasi_io::streams::{DynInputStream, DynOutputStream, StreamError, StreamResult};

thread_local! {
    /// The current call's deadline in CLOCK_MONOTONIC nanoseconds; `i64::MAX` for none.
    static DEADLINE_NS: Cell<i64> = const { Cell::new(i64::MAX) };
}

#[repr(C)]
struct Timespec {
    tv_sec: i64,
    tv_nsec: i64,
}

extern "C" {
    fn clock_gettime(clock: i32, time: *mut Timespec) -> i32;
}

const CLOCK_MONOTONIC: i32 = 1;

pub(crate) fn monotonic_ns() -> i64 {
    let mut t = Timespec { tv_sec: 0, tv_nsec: 0 };
    unsafe { clock_gettime(CLOCK_MONOTONIC, &mut t) };
    t.tv_sec.saturating_mul(1_000_000_000).saturating_add(t.tv_nsec)
}

/// Sets the calling thread's call deadline (CLOCK_MONOTONIC nanoseconds,
/// `INT64_MAX` for none) and returns the one it replaces, for C++ to put back
/// when the call ends.
#[no_mangle]
pub extern "C" fn tairitsu_call_deadline_exchange(deadline_ns: i64) -> i64 {
    DEADLINE_NS.with(|d| d.replace(deadline_ns))
}

/// The calling thread's call deadline (`i64::MAX` for none).
pub(crate) fn current_deadline_ns() -> i64 {
    DEADLINE_NS.with(|d| d.get())
}

fn deadline_passed() -> wasmtime::Error {
    format_err!("the call's deadline passed while the guest waited in a WASI call")
}

/// Runs a WASI future to its end, or until the call's deadline.
pub(crate) fn until_deadline<F: Future>(future: F) -> Result<F::Output> {
    let deadline = DEADLINE_NS.with(|d| d.get());
    if deadline == i64::MAX {
        return Ok(in_tokio(future));
    }
    let left = deadline.saturating_sub(monotonic_ns());
    if left <= 0 {
        return Err(deadline_passed());
    }
    in_tokio(async { tokio::time::timeout(Duration::from_nanos(left as u64), future).await })
        .map_err(|_| deadline_passed())
}

fn stream_until_deadline<T, F: Future<Output = StreamResult<T>>>(future: F) -> StreamResult<T> {
    until_deadline(future).map_err(StreamError::Trap)?
}

/// The WASI resource table, seen through deadlines.
struct Bounded<'a>(&'a mut ResourceTable);

struct HasBounded;
impl HasData for HasBounded {
    type Data<'a> = Bounded<'a>;
}

impl poll::Host for Bounded<'_> {
    fn poll(&mut self, pollables: Vec<Resource<DynPollable>>) -> Result<Vec<u32>> {
        until_deadline(async_poll::Host::poll(self.0, pollables))?
    }
}

impl poll::HostPollable for Bounded<'_> {
    fn ready(&mut self, pollable: Resource<DynPollable>) -> Result<bool> {
        poll::HostPollable::ready(self.0, pollable)
    }
    fn block(&mut self, pollable: Resource<DynPollable>) -> Result<()> {
        until_deadline(async_poll::HostPollable::block(self.0, pollable))?
    }
    fn drop(&mut self, pollable: Resource<DynPollable>) -> Result<()> {
        poll::HostPollable::drop(self.0, pollable)
    }
}

impl streams::Host for Bounded<'_> {
    fn convert_stream_error(&mut self, err: StreamError) -> Result<streams::StreamError> {
        streams::Host::convert_stream_error(self.0, err)
    }
}

impl streams::HostInputStream for Bounded<'_> {
    fn drop(&mut self, stream: Resource<DynInputStream>) -> Result<()> {
        streams::HostInputStream::drop(self.0, stream)
    }
    fn read(&mut self, stream: Resource<DynInputStream>, len: u64) -> StreamResult<Vec<u8>> {
        streams::HostInputStream::read(self.0, stream, len)
    }
    fn blocking_read(&mut self, stream: Resource<DynInputStream>, len: u64) -> StreamResult<Vec<u8>> {
        stream_until_deadline(AsyncInput::blocking_read(self.0, stream, len))
    }
    fn skip(&mut self, stream: Resource<DynInputStream>, len: u64) -> StreamResult<u64> {
        streams::HostInputStream::skip(self.0, stream, len)
    }
    fn blocking_skip(&mut self, stream: Resource<DynInputStream>, len: u64) -> StreamResult<u64> {
        stream_until_deadline(AsyncInput::blocking_skip(self.0, stream, len))
    }
    fn subscribe(&mut self, stream: Resource<DynInputStream>) -> Result<Resource<DynPollable>> {
        streams::HostInputStream::subscribe(self.0, stream)
    }
}

impl streams::HostOutputStream for Bounded<'_> {
    fn drop(&mut self, stream: Resource<DynOutputStream>) -> Result<()> {
        streams::HostOutputStream::drop(self.0, stream)
    }
    fn check_write(&mut self, stream: Resource<DynOutputStream>) -> StreamResult<u64> {
        streams::HostOutputStream::check_write(self.0, stream)
    }
    fn write(&mut self, stream: Resource<DynOutputStream>, bytes: Vec<u8>) -> StreamResult<()> {
        streams::HostOutputStream::write(self.0, stream, bytes)
    }
    fn blocking_write_and_flush(&mut self, stream: Resource<DynOutputStream>, bytes: Vec<u8>) -> StreamResult<()> {
        stream_until_deadline(AsyncOutput::blocking_write_and_flush(self.0, stream, bytes))
    }
    fn flush(&mut self, stream: Resource<DynOutputStream>) -> StreamResult<()> {
        streams::HostOutputStream::flush(self.0, stream)
    }
    fn blocking_flush(&mut self, stream: Resource<DynOutputStream>) -> StreamResult<()> {
        stream_until_deadline(AsyncOutput::blocking_flush(self.0, stream))
    }
    fn subscribe(&mut self, stream: Resource<DynOutputStream>) -> Result<Resource<DynPollable>> {
        streams::HostOutputStream::subscribe(self.0, stream)
    }
    fn write_zeroes(&mut self, stream: Resource<DynOutputStream>, len: u64) -> StreamResult<()> {
        streams::HostOutputStream::write_zeroes(self.0, stream, len)
    }
    fn blocking_write_zeroes_and_flush(&mut self, stream: Resource<DynOutputStream>, len: u64) -> StreamResult<()> {
        stream_until_deadline(AsyncOutput::blocking_write_zeroes_and_flush(self.0, stream, len))
    }
    fn splice(
        &mut self,
        dst: Resource<DynOutputStream>,
        src: Resource<DynInputStream>,
        len: u64,
    ) -> StreamResult<u64> {
        streams::HostOutputStream::splice(self.0, dst, src, len)
    }
    fn blocking_splice(
        &mut self,
        dst: Resource<DynOutputStream>,
        src: Resource<DynInputStream>,
        len: u64,
    ) -> StreamResult<u64> {
        stream_until_deadline(AsyncOutput::blocking_splice(self.0, dst, src, len))
    }
}

// The C API's linker is a single-field wrapper of `Linker<WasmtimeStoreData>`.
fn linker_of(linker: &mut wasmtime_component_linker_t) -> &mut wasmtime::component::Linker<WasmtimeStoreData> {
    unsafe { &mut *(linker as *mut wasmtime_component_linker_t as *mut wasmtime::component::Linker<WasmtimeStoreData>) }
}

fn table(data: &mut WasmtimeStoreData) -> Bounded<'_> {
    Bounded(data.ctx().table)
}

/// Links `wasi:io/poll` and `wasi:io/streams` again, over what
/// `wasmtime_component_linker_add_wasip2` linked, with the blocking calls
/// bounded by the call deadline. NULL on success.
#[no_mangle]
pub extern "C" fn tairitsu_linker_bound_wasi_waits(
    linker: &mut wasmtime_component_linker_t,
) -> Option<Box<wasmtime_error_t>> {
    let linker = linker_of(linker);
    linker.allow_shadowing(true);
    let result = poll::add_to_linker::<WasmtimeStoreData, HasBounded>(linker, table)
        .and_then(|()| streams::add_to_linker::<WasmtimeStoreData, HasBounded>(linker, table));
    linker.allow_shadowing(false);
    result.err().map(|e| Box::new(wasmtime_error_t::from(e)))
}
