//! Byte streams between C++ and a guest: a bounded in-memory channel whose
//! one end is a `wasi:io/streams` resource in the store's WASI table and
//! whose other end C++ holds.
//!
//! The guest side never blocks a thread by itself: its `read`/`write` are
//! non-blocking, and its pollable (`ready`) registers a waker that the C++
//! side wakes when it feeds, drains or ends the stream. The C++ side blocks
//! on a condition variable when it asks to wait (or fails at once when it
//! does not), so a fast producer waits for a slow consumer and nothing is
//! dropped.

use std::collections::VecDeque;
use std::future::poll_fn;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::task::{Poll, Waker};
use std::time::{Duration, Instant};

use bytes::Bytes;
use wasmtime::component::{Resource, ResourceAny};
use wasmtime::format_err;
use wasmtime_c_api::{wasmtime_component_resource_any_t, wasmtime_error_t, WasmtimeStoreContextMut};
use wasmtime_wasi::WasiView;
use wasmtime_wasi_io::poll::Pollable;
use wasmtime_wasi_io::streams::{DynInputStream, DynOutputStream, InputStream, OutputStream, StreamError, StreamResult};

/// The channel's shared state.
struct State {
    data: VecDeque<u8>,
    capacity: usize,
    /// The producing side ended the stream (closed, failed or went away).
    producer_done: bool,
    /// Why the producer failed: the consumer's next read reports it once.
    failure: Option<String>,
    /// The consuming side went away or closed: writes fail from now on.
    consumer_gone: bool,
    /// Guest tasks waiting for the channel to change.
    wakers: Vec<Waker>,
}

pub struct ByteChannel {
    state: Mutex<State>,
    /// Wakes C++ threads waiting for the channel to change.
    changed: Condvar,
}

impl ByteChannel {
    fn new(capacity: usize) -> Arc<Self> {
        Arc::new(ByteChannel {
            state: Mutex::new(State {
                data: VecDeque::new(),
                capacity: capacity.max(1),
                producer_done: false,
                failure: None,
                consumer_gone: false,
                wakers: Vec::new(),
            }),
            changed: Condvar::new(),
        })
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Tells both sides that the state changed.
    fn notify(&self, mut state: MutexGuard<'_, State>) {
        let wakers = std::mem::take(&mut state.wakers);
        drop(state);
        self.changed.notify_all();
        for waker in wakers {
            waker.wake();
        }
    }

    /// Waits (as a guest task) until `ready` holds for the state.
    async fn guest_wait(&self, ready: impl Fn(&State) -> bool + Send) {
        poll_fn(|cx| {
            let mut state = self.lock();
            if ready(&state) {
                return Poll::Ready(());
            }
            if !state.wakers.iter().any(|w| w.will_wake(cx.waker())) {
                state.wakers.push(cx.waker().clone());
            }
            Poll::Pending
        })
        .await
    }

    /// Waits (as a C++ thread) until `ready` holds or the deadline passes.
    /// Returns the state and whether `ready` holds.
    fn host_wait<'a>(
        &'a self,
        mut state: MutexGuard<'a, State>,
        deadline: Wait,
        ready: impl Fn(&State) -> bool,
    ) -> (MutexGuard<'a, State>, bool) {
        loop {
            if ready(&state) {
                return (state, true);
            }
            match deadline {
                Wait::No => return (state, false),
                Wait::Forever => {
                    state = self.changed.wait(state).unwrap_or_else(|p| p.into_inner());
                }
                Wait::Until(at) => {
                    let now = Instant::now();
                    if now >= at {
                        return (state, false);
                    }
                    state = self.changed.wait_timeout(state, at - now).unwrap_or_else(|p| p.into_inner()).0;
                }
            }
        }
    }

    /// Ends one side: the producer's (the reader then takes what is buffered,
    /// then the end), or the consumer's (what is buffered is dropped, writes
    /// fail). With `failure`, the other side is told why.
    fn end(&self, producer: bool, failure: Option<String>) {
        let mut state = self.lock();
        if failure.is_some() {
            state.failure = failure;
        }
        if producer {
            state.producer_done = true;
        } else {
            state.consumer_gone = true;
            state.data.clear();
        }
        self.notify(state);
    }

    /// Moves up to `out.len()` bytes out of the channel.
    fn take(state: &mut State, out: &mut [u8]) -> usize {
        let n = out.len().min(state.data.len());
        let (a, b) = state.data.as_slices();
        let from_a = n.min(a.len());
        out[..from_a].copy_from_slice(&a[..from_a]);
        out[from_a..n].copy_from_slice(&b[..n - from_a]);
        state.data.drain(..n);
        n
    }
}

#[derive(Clone, Copy)]
enum Wait {
    No,
    Forever,
    Until(Instant),
}

impl Wait {
    /// From C: negative, no waiting; `i64::MAX`, forever; otherwise a timeout in nanoseconds.
    fn from_timeout_ns(timeout_ns: i64) -> Wait {
        match timeout_ns {
            t if t < 0 => Wait::No,
            i64::MAX => Wait::Forever,
            t => Wait::Until(Instant::now() + Duration::from_nanos(t as u64)),
        }
    }
}

/// The guest's end of a stream the host feeds: a `wasi:io` input-stream.
struct GuestReader(Arc<ByteChannel>);

#[async_trait::async_trait]
impl Pollable for GuestReader {
    async fn ready(&mut self) {
        self.0.guest_wait(|s| !s.data.is_empty() || s.producer_done).await
    }
}

#[async_trait::async_trait]
impl InputStream for GuestReader {
    fn read(&mut self, size: usize) -> StreamResult<Bytes> {
        let mut state = self.0.lock();
        if state.data.is_empty() {
            if let Some(message) = state.failure.take() {
                return Err(StreamError::LastOperationFailed(format_err!("{message}")));
            }
            return if state.producer_done { Err(StreamError::Closed) } else { Ok(Bytes::new()) };
        }
        let mut out = vec![0u8; size.min(state.data.len())];
        ByteChannel::take(&mut state, &mut out);
        self.0.notify(state);
        Ok(Bytes::from(out))
    }
}

impl Drop for GuestReader {
    fn drop(&mut self) {
        self.0.end(false, None);
    }
}

/// The guest's end of a stream the host drains: a `wasi:io` output-stream.
struct GuestWriter(Arc<ByteChannel>);

impl GuestWriter {
    fn writable(state: &State) -> StreamResult<usize> {
        if let Some(message) = &state.failure {
            return Err(StreamError::LastOperationFailed(format_err!("{message}")));
        }
        if state.consumer_gone {
            return Err(StreamError::Closed);
        }
        Ok(state.capacity.saturating_sub(state.data.len()))
    }
}

#[async_trait::async_trait]
impl Pollable for GuestWriter {
    async fn ready(&mut self) {
        self.0.guest_wait(|s| s.consumer_gone || s.failure.is_some() || s.data.len() < s.capacity).await
    }
}

#[async_trait::async_trait]
impl OutputStream for GuestWriter {
    fn write(&mut self, bytes: Bytes) -> StreamResult<()> {
        let mut state = self.0.lock();
        let room = Self::writable(&state)?;
        if bytes.len() > room {
            return Err(StreamError::trap("a write larger than check-write permitted"));
        }
        state.data.extend(bytes.iter());
        self.0.notify(state);
        Ok(())
    }
    fn flush(&mut self) -> StreamResult<()> {
        // Bytes are delivered when written: there is nothing to flush.
        Self::writable(&self.0.lock()).map(|_| ())
    }
    fn check_write(&mut self) -> StreamResult<usize> {
        Self::writable(&self.0.lock())
    }
}

impl Drop for GuestWriter {
    fn drop(&mut self) {
        self.0.end(true, None);
    }
}

/// The C++ end of a channel: an `Arc` it holds through a raw pointer.
#[allow(non_camel_case_types)]
pub struct tairitsu_byte_channel {
    channel: Arc<ByteChannel>,
    /// Whether C++ produces (feeds an input-stream) or consumes (drains an output-stream).
    producer: bool,
}

impl Drop for tairitsu_byte_channel {
    fn drop(&mut self) {
        self.channel.end(self.producer, None);
    }
}

fn resource_out(resource: ResourceAny) -> Box<wasmtime_component_resource_any_t> {
    // The C API type is a single-field `#[repr(C)]` wrapper of `ResourceAny`
    // (checked in fiber.rs).
    let raw = Box::into_raw(Box::new(resource)) as *mut wasmtime_component_resource_any_t;
    unsafe { Box::from_raw(raw) }
}

fn new_stream(
    mut store: WasmtimeStoreContextMut<'_>,
    capacity: usize,
    producer: bool,
    channel_out: &mut *mut tairitsu_byte_channel,
    resource_out_ptr: &mut *mut wasmtime_component_resource_any_t,
) -> Option<Box<wasmtime_error_t>> {
    let channel = ByteChannel::new(capacity);
    let table = store.data_mut().ctx().table;
    let pushed = if producer {
        table.push(Box::new(GuestReader(channel.clone())) as DynInputStream).map(|r| r.rep())
    } else {
        table.push(Box::new(GuestWriter(channel.clone())) as DynOutputStream).map(|r| r.rep())
    };
    let resource = pushed.map_err(wasmtime::Error::from).and_then(|rep| {
        if producer {
            ResourceAny::try_from_resource(Resource::<DynInputStream>::new_own(rep), &mut store)
        } else {
            ResourceAny::try_from_resource(Resource::<DynOutputStream>::new_own(rep), &mut store)
        }
    });
    match resource {
        Ok(resource) => {
            *resource_out_ptr = Box::into_raw(resource_out(resource));
            *channel_out = Box::into_raw(Box::new(tairitsu_byte_channel { channel, producer }));
            None
        }
        Err(e) => Some(Box::new(wasmtime_error_t::from(e))),
    }
}

/// Makes a `wasi:io/streams.input-stream` in the store's WASI table that the
/// guest reads and C++ feeds through `channel_out`, holding up to `capacity`
/// bytes. NULL on success.
#[no_mangle]
pub extern "C" fn tairitsu_input_stream_new(
    store: WasmtimeStoreContextMut<'_>,
    capacity: usize,
    channel_out: &mut *mut tairitsu_byte_channel,
    stream_out: &mut *mut wasmtime_component_resource_any_t,
) -> Option<Box<wasmtime_error_t>> {
    new_stream(store, capacity, true, channel_out, stream_out)
}

/// Makes a `wasi:io/streams.output-stream` that the guest writes and C++
/// drains through `channel_out`. NULL on success.
#[no_mangle]
pub extern "C" fn tairitsu_output_stream_new(
    store: WasmtimeStoreContextMut<'_>,
    capacity: usize,
    channel_out: &mut *mut tairitsu_byte_channel,
    stream_out: &mut *mut wasmtime_component_resource_any_t,
) -> Option<Box<wasmtime_error_t>> {
    new_stream(store, capacity, false, channel_out, stream_out)
}

/// What a channel operation from C++ came to.
#[repr(C)]
#[allow(non_camel_case_types)]
pub enum tairitsu_channel_status {
    /// Done (a read of 0 bytes: nothing there yet, when not waiting).
    Ok = 0,
    /// The other side is gone or ended the stream: no more bytes either way.
    Closed = 1,
    /// The wait ran out before the operation could finish.
    TimedOut = 2,
    /// This side already ended the stream.
    Ended = 3,
}

/// Writes `bytes` into an input-stream's channel, waiting for room as
/// `timeout_ns` allows (negative: not at all; INT64_MAX: forever). `written`
/// says how many went in, also when the status is not Ok.
#[no_mangle]
pub extern "C" fn tairitsu_byte_channel_write(
    channel: &tairitsu_byte_channel,
    bytes: *const u8,
    len: usize,
    timeout_ns: i64,
    written: &mut usize,
) -> tairitsu_channel_status {
    let bytes = if len == 0 { &[][..] } else { unsafe { std::slice::from_raw_parts(bytes, len) } };
    let wait = Wait::from_timeout_ns(timeout_ns);
    let ch = &channel.channel;
    *written = 0;
    let mut state = ch.lock();
    loop {
        if state.producer_done {
            return tairitsu_channel_status::Ended;
        }
        if state.consumer_gone {
            return tairitsu_channel_status::Closed;
        }
        if *written == bytes.len() {
            return tairitsu_channel_status::Ok;
        }
        let room = state.capacity.saturating_sub(state.data.len());
        if room > 0 {
            let n = room.min(bytes.len() - *written);
            state.data.extend(&bytes[*written..*written + n]);
            *written += n;
            let wakers = std::mem::take(&mut state.wakers);
            for waker in wakers {
                waker.wake();
            }
            continue;
        }
        let (s, ready) = ch.host_wait(state, wait, |s| s.consumer_gone || s.data.len() < s.capacity);
        state = s;
        if !ready {
            return tairitsu_channel_status::TimedOut;
        }
    }
}

/// Reads up to `len` bytes from an output-stream's channel, waiting for some
/// as `timeout_ns` allows. `read` is 0 with status Closed at the end of the
/// stream.
#[no_mangle]
pub extern "C" fn tairitsu_byte_channel_read(
    channel: &tairitsu_byte_channel,
    out: *mut u8,
    len: usize,
    timeout_ns: i64,
    read: &mut usize,
) -> tairitsu_channel_status {
    let out = if len == 0 { &mut [][..] } else { unsafe { std::slice::from_raw_parts_mut(out, len) } };
    let ch = &channel.channel;
    *read = 0;
    let state = ch.lock();
    if state.consumer_gone {
        return tairitsu_channel_status::Ended;
    }
    let (mut state, ready) =
        ch.host_wait(state, Wait::from_timeout_ns(timeout_ns), |s| !s.data.is_empty() || s.producer_done);
    if state.data.is_empty() {
        return if state.producer_done {
            tairitsu_channel_status::Closed
        } else if ready {
            tairitsu_channel_status::Ok
        } else {
            tairitsu_channel_status::TimedOut
        };
    }
    *read = ByteChannel::take(&mut state, out);
    ch.notify(state);
    tairitsu_channel_status::Ok
}

/// Ends C++'s side: a producer ends the stream (the guest reads what is
/// buffered, then `closed`; with a message, `last-operation-failed` carrying
/// it), a consumer closes it (the guest's next write fails with `closed`, or
/// with the message).
#[no_mangle]
pub extern "C" fn tairitsu_byte_channel_finish(channel: &tairitsu_byte_channel, message: *const u8, message_len: usize) {
    let failure = (!message.is_null()).then(|| {
        let text = unsafe { std::slice::from_raw_parts(message, message_len) };
        String::from_utf8_lossy(text).into_owned()
    });
    channel.channel.end(channel.producer, failure);
}

/// How many bytes are buffered now, and whether the guest's side is gone.
#[no_mangle]
pub extern "C" fn tairitsu_byte_channel_buffered(channel: &tairitsu_byte_channel, peer_gone: &mut bool) -> usize {
    let state = channel.channel.lock();
    *peer_gone = if channel.producer { state.consumer_gone } else { state.producer_done };
    state.data.len()
}

/// Releases C++'s end (ending its side as `finish` without a message would,
/// unless it was ended already).
#[no_mangle]
pub extern "C" fn tairitsu_byte_channel_delete(channel: *mut tairitsu_byte_channel) {
    if !channel.is_null() {
        drop(unsafe { Box::from_raw(channel) });
    }
}
