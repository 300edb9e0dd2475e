//! `wasi:io/poll` and `wasi:io/streams` for containers whose calls run on a
//! fiber (an async host function, or a concurrent engine): their blocking
//! calls suspend the guest's fiber instead of blocking the thread, so that a
//! guest waiting on a stream's pollable leaves the executor's thread to other
//! calls, and every wait ends at the call's deadline (the deadline of the
//! thread that polls the call when the guest starts waiting; the thread's
//! driver wakes the call when it comes: fiber.rs parks until it, the
//! executor's timer wakes it).

use std::future::{poll_fn, Future};
use std::pin::pin;
use std::task::Poll;

use wasmtime::component::{HasData, Resource, ResourceTable};
use wasmtime::{format_err, Result};
use wasmtime_c_api::{wasmtime_component_linker_t, wasmtime_error_t, WasmtimeStoreData};
use wasmtime_wasi::WasiView;
use wasmtime_wasi_io::bindings::wasi::io::{poll, streams};
use wasmtime_wasi_io::poll::DynPollable;
use wasmtime_wasi_io::streams::{DynInputStream, DynOutputStream, StreamError, StreamResult};

use crate::call_deadline::{current_deadline_ns, monotonic_ns};

/// Runs `future` until it ends or the calling thread's call deadline passes.
async fn until_deadline<F: Future>(future: F) -> Result<F::Output> {
    let deadline = current_deadline_ns();
    let mut future = pin!(future);
    poll_fn(|cx| {
        if deadline != i64::MAX && monotonic_ns() >= deadline {
            return Poll::Ready(Err(format_err!("the call's deadline passed while the guest waited in a WASI call")));
        }
        future.as_mut().poll(cx).map(Ok)
    })
    .await
}

async fn stream_until_deadline<T, F: Future<Output = StreamResult<T>>>(future: F) -> StreamResult<T> {
    until_deadline(future).await.map_err(StreamError::Trap)?
}

/// The WASI resource table, seen through deadlines.
struct Suspending<'a>(&'a mut ResourceTable);

struct HasSuspending;
impl HasData for HasSuspending {
    type Data<'a> = Suspending<'a>;
}

impl poll::Host for Suspending<'_> {
    async fn poll(&mut self, pollables: Vec<Resource<DynPollable>>) -> Result<Vec<u32>> {
        until_deadline(poll::Host::poll(self.0, pollables)).await?
    }
}

impl poll::HostPollable for Suspending<'_> {
    async fn block(&mut self, pollable: Resource<DynPollable>) -> Result<()> {
        until_deadline(poll::HostPollable::block(self.0, pollable)).await?
    }
    async fn ready(&mut self, pollable: Resource<DynPollable>) -> Result<bool> {
        poll::HostPollable::ready(self.0, pollable).await
    }
    fn drop(&mut self, pollable: Resource<DynPollable>) -> Result<()> {
        poll::HostPollable::drop(self.0, pollable)
    }
}

impl streams::Host for Suspending<'_> {
    fn convert_stream_error(&mut self, err: StreamError) -> Result<streams::StreamError> {
        streams::Host::convert_stream_error(self.0, err)
    }
}

impl streams::HostInputStream for Suspending<'_> {
    async fn drop(&mut self, stream: Resource<DynInputStream>) -> Result<()> {
        streams::HostInputStream::drop(self.0, stream).await
    }
    fn read(&mut self, stream: Resource<DynInputStream>, len: u64) -> StreamResult<Vec<u8>> {
        streams::HostInputStream::read(self.0, stream, len)
    }
    async fn blocking_read(&mut self, stream: Resource<DynInputStream>, len: u64) -> StreamResult<Vec<u8>> {
        stream_until_deadline(streams::HostInputStream::blocking_read(self.0, stream, len)).await
    }
    fn skip(&mut self, stream: Resource<DynInputStream>, len: u64) -> StreamResult<u64> {
        streams::HostInputStream::skip(self.0, stream, len)
    }
    async fn blocking_skip(&mut self, stream: Resource<DynInputStream>, len: u64) -> StreamResult<u64> {
        stream_until_deadline(streams::HostInputStream::blocking_skip(self.0, stream, len)).await
    }
    fn subscribe(&mut self, stream: Resource<DynInputStream>) -> Result<Resource<DynPollable>> {
        streams::HostInputStream::subscribe(self.0, stream)
    }
}

impl streams::HostOutputStream for Suspending<'_> {
    async fn drop(&mut self, stream: Resource<DynOutputStream>) -> Result<()> {
        streams::HostOutputStream::drop(self.0, stream).await
    }
    fn check_write(&mut self, stream: Resource<DynOutputStream>) -> StreamResult<u64> {
        streams::HostOutputStream::check_write(self.0, stream)
    }
    fn write(&mut self, stream: Resource<DynOutputStream>, bytes: Vec<u8>) -> StreamResult<()> {
        streams::HostOutputStream::write(self.0, stream, bytes)
    }
    async fn blocking_write_and_flush(&mut self, stream: Resource<DynOutputStream>, bytes: Vec<u8>) -> StreamResult<()> {
        stream_until_deadline(streams::HostOutputStream::blocking_write_and_flush(self.0, stream, bytes)).await
    }
    fn flush(&mut self, stream: Resource<DynOutputStream>) -> StreamResult<()> {
        streams::HostOutputStream::flush(self.0, stream)
    }
    async fn blocking_flush(&mut self, stream: Resource<DynOutputStream>) -> StreamResult<()> {
        stream_until_deadline(streams::HostOutputStream::blocking_flush(self.0, stream)).await
    }
    fn subscribe(&mut self, stream: Resource<DynOutputStream>) -> Result<Resource<DynPollable>> {
        streams::HostOutputStream::subscribe(self.0, stream)
    }
    fn write_zeroes(&mut self, stream: Resource<DynOutputStream>, len: u64) -> StreamResult<()> {
        streams::HostOutputStream::write_zeroes(self.0, stream, len)
    }
    async fn blocking_write_zeroes_and_flush(&mut self, stream: Resource<DynOutputStream>, len: u64) -> StreamResult<()> {
        stream_until_deadline(streams::HostOutputStream::blocking_write_zeroes_and_flush(self.0, stream, len)).await
    }
    fn splice(&mut self, dst: Resource<DynOutputStream>, src: Resource<DynInputStream>, len: u64) -> StreamResult<u64> {
        streams::HostOutputStream::splice(self.0, dst, src, len)
    }
    async fn blocking_splice(
        &mut self,
        dst: Resource<DynOutputStream>,
        src: Resource<DynInputStream>,
        len: u64,
    ) -> StreamResult<u64> {
        stream_until_deadline(streams::HostOutputStream::blocking_splice(self.0, dst, src, len)).await
    }
}

fn table(data: &mut WasmtimeStoreData) -> Suspending<'_> {
    Suspending(data.ctx().table)
}

/// Links `wasi:io/poll` and `wasi:io/streams` again, over what the WASI
/// linker linked, with blocking calls that suspend the guest's fiber until
/// they end or the call's deadline passes. For containers whose calls all
/// run on a fiber. NULL on success.
#[no_mangle]
pub extern "C" fn tairitsu_linker_fiber_wasi_waits(
    linker: &mut wasmtime_component_linker_t,
) -> Option<Box<wasmtime_error_t>> {
    // The C API's linker is a single-field wrapper of `Linker<WasmtimeStoreData>`.
    let linker = unsafe {
        &mut *(linker as *mut wasmtime_component_linker_t as *mut wasmtime::component::Linker<WasmtimeStoreData>)
    };
    linker.allow_shadowing(true);
    let result = poll::add_to_linker::<WasmtimeStoreData, HasSuspending>(linker, table)
        .and_then(|()| streams::add_to_linker::<WasmtimeStoreData, HasSuspending>(linker, table));
    linker.allow_shadowing(false);
    result.err().map(|e| Box::new(wasmtime_error_t::from(e)))
}
