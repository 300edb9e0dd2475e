//! Serving `wasi:http/incoming-handler` components. Hyper keeps the
//! connections on one Tokio runtime; guests run on a second one, so that a
//! host function that blocks holds up other guests, never the sockets. Each
//! request gets a fresh store and instance: C++ makes the store (`open`),
//! configured as any container's (WASI, limits, its host functions found
//! through the store's data), and hears when the handler ended (`close`,
//! which frees the store) and when the response was done (`log`). Every
//! policy (limits, status codes, what the log says) is C++'s.

use std::convert::Infallible;
use std::ffi::c_void;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::combinators::UnsyncBoxBody;
use http_body_util::{BodyExt, Full};
use hyper::body::{Body, Frame, Incoming, SizeHint};
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::sync::{watch, Semaphore};
use wasmtime::AsContextMut;
use wasmtime_c_api::{
    wasmtime_component_linker_t, wasmtime_component_t, wasmtime_context_set_wasi_http, wasmtime_error_t,
    wasmtime_store_context, wasmtime_store_t, WasmtimeStoreData,
};
use wasmtime_wasi_http::p2::bindings::http::types::Scheme;
use wasmtime_wasi_http::p2::bindings::ProxyPre;
use wasmtime_wasi_http::WasiHttpView;

use crate::instance_pre::{component_of, linker_of};
use crate::outbound_http::{AllowList, WithAllowList};

/// How a server listens and what it allows (every field is set by C++).
#[repr(C)]
pub struct tairitsu_http_config {
    /// "host:port" (UTF-8, not NUL-terminated).
    pub address: *const u8,
    pub address_len: usize,
    /// Threads for the connections, and for the guests (0: one per core).
    pub io_threads: u32,
    pub guest_threads: u32,
    pub max_connections: u32,
    pub max_requests: u32,
    /// Bytes of one request's body; a longer body is refused (413 when its
    /// length is declared, a failed read for the guest when it is not).
    pub max_request_body: u64,
    /// Bytes of one request's head (request line and headers), at least 8 KiB.
    pub max_header_bytes: u64,
    /// How long a client may take to send a request's head, and how long an
    /// idle kept-alive connection stays open.
    pub header_timeout_ms: u64,
    /// How long a handler may run, waits included (0: no bound).
    pub request_timeout_ms: u64,
    /// Origins guests may reach with outgoing requests, one `HOST[:PORT]` a line.
    pub allow_http: *const u8,
    pub allow_http_len: usize,
}

/// Why a request's handler failed, as C++ tells it: what the client is
/// sent and what the log says.
#[repr(C)]
pub struct tairitsu_http_failure {
    pub status: u16,
    pub client: [u8; 256],
    pub client_len: usize,
    pub log: [u8; 1024],
    pub log_len: usize,
}

/// One finished request, for the access log and the counters.
#[repr(C)]
pub struct tairitsu_http_record {
    pub method: *const u8,
    pub method_len: usize,
    pub target: *const u8,
    pub target_len: usize,
    pub status: u16,
    /// A `TAIRITSU_HTTP_*` outcome.
    pub outcome: u32,
    /// Bytes of the response body sent.
    pub body_bytes: u64,
    pub micros: u64,
    /// Why, when the outcome is not `TAIRITSU_HTTP_SERVED`.
    pub reason: *const u8,
    pub reason_len: usize,
}

pub const TAIRITSU_HTTP_SERVED: u32 = 0;
/// The handler trapped, hit a limit or answered with an error code.
pub const TAIRITSU_HTTP_HANDLER_FAILED: u32 = 1;
/// Refused before any guest ran: a body over the limit, a malformed request,
/// no store could be made.
pub const TAIRITSU_HTTP_REFUSED: u32 = 2;
/// The response began but its body did not end well (the handler failed
/// mid-body, or the client went away).
pub const TAIRITSU_HTTP_INCOMPLETE: u32 = 3;

/// The C++ side of a server. The callbacks run on the server's threads, at
/// any time until `tairitsu_http_server_delete` returns.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct tairitsu_http_host {
    pub data: *mut c_void,
    /// A configured store for one request (`request` set to what `close`
    /// gets back), or null with `failure` filled.
    pub open: unsafe extern "C" fn(
        data: *mut c_void,
        request: *mut *mut c_void,
        failure: *mut tairitsu_http_failure,
    ) -> *mut wasmtime_store_t,
    /// The request's handler ended, with `error` (owned; null when it did
    /// not fail); `failure` is filled when it did. Frees the store.
    pub close: unsafe extern "C" fn(
        data: *mut c_void,
        request: *mut c_void,
        error: *mut wasmtime_error_t,
        failure: *mut tairitsu_http_failure,
    ),
    pub log: unsafe extern "C" fn(data: *mut c_void, record: *const tairitsu_http_record),
}

// C++ promises the callbacks may run on any thread.
unsafe impl Send for tairitsu_http_host {}
unsafe impl Sync for tairitsu_http_host {}

impl tairitsu_http_failure {
    fn new() -> Box<Self> {
        Box::new(tairitsu_http_failure {
            status: 500,
            client: [0; 256],
            client_len: 0,
            log: [0; 1024],
            log_len: 0,
        })
    }
    fn client_text(&self) -> String {
        String::from_utf8_lossy(&self.client[..self.client_len.min(self.client.len())]).into_owned()
    }
    fn log_text(&self) -> String {
        String::from_utf8_lossy(&self.log[..self.log_len.min(self.log.len())]).into_owned()
    }
}

/// A running server.
#[allow(non_camel_case_types)]
pub struct tairitsu_http_server {
    io: Option<tokio::runtime::Runtime>,
    guests: Option<tokio::runtime::Runtime>,
    stop: watch::Sender<bool>,
    connections: Arc<Semaphore>,
    max_connections: u32,
    accept: Option<tokio::task::JoinHandle<()>>,
    address: String,
}

struct Server {
    pre: ProxyPre<WasmtimeStoreData>,
    host: tairitsu_http_host,
    guests: tokio::runtime::Handle,
    requests: Arc<Semaphore>,
    max_request_body: u64,
    max_header_bytes: u64,
    request_timeout: Option<Duration>,
    allowed: Arc<AllowList>,
}

fn error(e: impl Into<wasmtime::Error>) -> Option<Box<wasmtime_error_t>> {
    Some(Box::new(wasmtime_error_t::from(e.into())))
}

fn text(bytes: *const u8, len: usize) -> String {
    if len == 0 {
        return String::new();
    }
    String::from_utf8_lossy(unsafe { std::slice::from_raw_parts(bytes, len) }).into_owned()
}

fn runtime(name: &str, threads: u32) -> std::io::Result<tokio::runtime::Runtime> {
    let mut builder = tokio::runtime::Builder::new_multi_thread();
    if threads > 0 {
        builder.worker_threads(threads as usize);
    }
    builder.thread_name(name).enable_all().build()
}

/// Starts serving `component` (whose imports `linker` resolves) on the
/// configured address. NULL on success with `out` set; otherwise why not
/// (the address is taken, the component exports no incoming-handler).
#[no_mangle]
pub extern "C" fn tairitsu_http_server_start(
    linker: &wasmtime_component_linker_t,
    component: &wasmtime_component_t,
    config: &tairitsu_http_config,
    host: &tairitsu_http_host,
    out: &mut *mut tairitsu_http_server,
) -> Option<Box<wasmtime_error_t>> {
    let pre = match linker_of(linker)
        .instantiate_pre(component_of(component))
        .and_then(ProxyPre::new)
    {
        Ok(pre) => pre,
        Err(e) => return error(e.context("the component cannot serve wasi:http/incoming-handler")),
    };
    let address = text(config.address, config.address_len);
    let (io, guests) = match (
        runtime("tairitsu-http-io", config.io_threads.max(1)),
        runtime("tairitsu-http-guest", config.guest_threads),
    ) {
        (Ok(io), Ok(guests)) => (io, guests),
        (Err(e), _) | (_, Err(e)) => return error(wasmtime::Error::from(e).context("starting the server's threads")),
    };
    let listener = match io.block_on(TcpListener::bind(address.as_str())) {
        Ok(l) => l,
        Err(e) => return error(wasmtime::Error::from(e).context(format!("listening on {address}"))),
    };
    let bound = listener.local_addr().map(|a| a.to_string()).unwrap_or(address);
    let server = Arc::new(Server {
        pre,
        host: *host,
        guests: guests.handle().clone(),
        requests: Arc::new(Semaphore::new(config.max_requests.max(1) as usize)),
        max_request_body: config.max_request_body,
        max_header_bytes: config.max_header_bytes.max(8192),
        request_timeout: (config.request_timeout_ms > 0).then(|| Duration::from_millis(config.request_timeout_ms)),
        allowed: Arc::new(AllowList::parse(&text(config.allow_http, config.allow_http_len))),
    });
    let connections = Arc::new(Semaphore::new(config.max_connections.max(1) as usize));
    let (stop, stopped) = watch::channel(false);
    let mut http = hyper::server::conn::http1::Builder::new();
    http.keep_alive(true)
        .timer(TokioTimer::new())
        .header_read_timeout(Duration::from_millis(config.header_timeout_ms.max(1)))
        .max_buf_size(config.max_header_bytes.max(8192) as usize);
    let accept = io.spawn(accept_loop(server, listener, http, connections.clone(), stopped));
    *out = Box::into_raw(Box::new(tairitsu_http_server {
        io: Some(io),
        guests: Some(guests),
        stop,
        connections,
        max_connections: config.max_connections.max(1),
        accept: Some(accept),
        address: bound,
    }));
    None
}

/// The address the server listens on ("host:port", the port chosen when
/// the configured one was 0). Valid while the server is.
#[no_mangle]
pub extern "C" fn tairitsu_http_server_address(server: &tairitsu_http_server, len: &mut usize) -> *const u8 {
    *len = server.address.len();
    server.address.as_ptr()
}

/// Stops accepting connections, asks open ones to close once their request
/// in flight is answered, and waits up to `drain_ms` for them. Returns how
/// many connections were still open when the wait ended (0: all drained).
#[no_mangle]
pub extern "C" fn tairitsu_http_server_stop(server: &mut tairitsu_http_server, drain_ms: u64) -> u32 {
    let _ = server.stop.send(true);
    let Some(io) = server.io.as_ref() else {
        return 0;
    };
    if let Some(accept) = server.accept.take() {
        let _ = io.block_on(accept);
    }
    let all = server.max_connections;
    let drained = io.block_on(async {
        tokio::time::timeout(Duration::from_millis(drain_ms), server.connections.acquire_many(all)).await
    });
    match drained {
        Ok(Ok(permits)) => {
            drop(permits);
            0
        }
        _ => all - server.connections.available_permits() as u32,
    }
}

/// Stops the server (without waiting for connections) and frees it. Every
/// request's store is closed before this returns.
#[no_mangle]
pub extern "C" fn tairitsu_http_server_delete(server: *mut tairitsu_http_server) {
    if server.is_null() {
        return;
    }
    let mut server = unsafe { Box::from_raw(server) };
    let _ = server.stop.send(true);
    // Connections first (they wait for guests' answers), then the guests:
    // dropping a runtime drops its tasks, and so closes their stores.
    if let Some(io) = server.io.take() {
        io.shutdown_timeout(Duration::from_secs(5));
    }
    drop(server.guests.take());
}

async fn accept_loop(
    server: Arc<Server>,
    listener: TcpListener,
    http: hyper::server::conn::http1::Builder,
    connections: Arc<Semaphore>,
    mut stopped: watch::Receiver<bool>,
) {
    loop {
        let permit = tokio::select! {
            permit = connections.clone().acquire_owned() => match permit {
                Ok(permit) => permit,
                Err(_) => return,
            },
            _ = stopped.wait_for(|stop| *stop) => return,
        };
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            _ = stopped.wait_for(|stop| *stop) => return,
        };
        let socket = match accepted {
            Ok((socket, _)) => socket,
            Err(_) => {
                // Out of file descriptors and the like: try again shortly.
                tokio::time::sleep(Duration::from_millis(10)).await;
                continue;
            }
        };
        let _ = socket.set_nodelay(true);
        let server = server.clone();
        let http = http.clone();
        let mut stopped = stopped.clone();
        tokio::spawn(async move {
            let _permit = permit;
            let service = service_fn(move |request| {
                let server = server.clone();
                async move { Ok::<_, Infallible>(server.handle(request).await) }
            });
            let connection = http.serve_connection(TokioIo::new(socket), service);
            let mut connection = std::pin::pin!(connection);
            let stopping = tokio::select! {
                _ = connection.as_mut() => false,
                _ = stopped.wait_for(|stop| *stop) => true,
            };
            if stopping {
                connection.as_mut().graceful_shutdown();
                let _ = connection.await;
            }
        });
    }
}

/// A response's body: the guest's, or a short text of the server's. Counts
/// what it sends and reports the request when it ends or is dropped.
struct ServedBody {
    inner: UnsyncBoxBody<Bytes, wasmtime_wasi_http::Error>,
    record: Option<Record>,
    /// How the handler ended, for a body that came from a guest: a body that
    /// ends while its handler failed was cut short, and must not look whole.
    handler: Option<Outcome>,
}

/// How a request's handler ended: `Some` with why, when it failed.
type Outcome = tokio::sync::oneshot::Receiver<Option<Box<tairitsu_http_failure>>>;

struct Record {
    host: tairitsu_http_host,
    method: String,
    target: String,
    start: Instant,
    status: u16,
    outcome: u32,
    body_bytes: u64,
    reason: String,
    /// The body was sent to its end (or failed): not cut short by the client.
    ended: bool,
}

impl Drop for Record {
    fn drop(&mut self) {
        // Responses that have no body are not read for one.
        let bodiless = self.method == "HEAD" || self.status == 204 || self.status == 304;
        if !self.ended && !bodiless && self.outcome == TAIRITSU_HTTP_SERVED {
            // Dropped before its body ended: the client went away.
            self.reason = "the response was not sent to its end".into();
            self.outcome = TAIRITSU_HTTP_INCOMPLETE;
        }
        let entry = tairitsu_http_record {
            method: self.method.as_ptr(),
            method_len: self.method.len(),
            target: self.target.as_ptr(),
            target_len: self.target.len(),
            status: self.status,
            outcome: self.outcome,
            body_bytes: self.body_bytes,
            micros: self.start.elapsed().as_micros() as u64,
            reason: self.reason.as_ptr(),
            reason_len: self.reason.len(),
        };
        unsafe { (self.host.log)(self.host.data, &entry) };
    }
}

impl Body for ServedBody {
    type Data = Bytes;
    type Error = wasmtime_wasi_http::Error;

    fn poll_frame(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        let polled = Pin::new(&mut self.inner).poll_frame(cx);
        match &polled {
            Poll::Ready(Some(Ok(frame))) => {
                let end = frame.is_trailers() || self.inner.is_end_stream();
                if let (Some(data), Some(record)) = (frame.data_ref(), self.record.as_mut()) {
                    record.body_bytes += data.len() as u64;
                }
                if let (true, Some(record)) = (end, self.record.as_mut()) {
                    record.ended = true; // hyper need not poll again
                }
            }
            Poll::Ready(Some(Err(e))) => {
                if let Some(mut record) = self.record.take() {
                    record.ended = true;
                    record.outcome = TAIRITSU_HTTP_INCOMPLETE;
                    record.reason = format!("the response body failed: {e}");
                }
            }
            Poll::Ready(None) => {
                if let Some(handler) = self.handler.as_mut() {
                    let failure = match Pin::new(handler).poll(cx) {
                        Poll::Pending => return Poll::Pending,
                        Poll::Ready(outcome) => outcome.ok().flatten(),
                    };
                    if let Some(failure) = &failure {
                        crate::sync_annotations::acquire(&**failure);
                    }
                    self.handler = None;
                    if let Some(failure) = failure {
                        if let Some(mut record) = self.record.take() {
                            record.ended = true;
                            record.outcome = TAIRITSU_HTTP_INCOMPLETE;
                            record.reason = failure.log_text();
                        }
                        let cut = wasmtime_wasi_http::Error::InternalError(Some("the handler failed".into()));
                        return Poll::Ready(Some(Err(cut)));
                    }
                }
                if let Some(mut record) = self.record.take() {
                    record.ended = true;
                }
            }
            Poll::Pending => {}
        }
        polled
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

/// A request's body as the guest reads it, cut at the server's limit.
struct RequestBody {
    inner: Incoming,
    left: u64,
    limit: u64,
}

impl Body for RequestBody {
    type Data = Bytes;
    type Error = wasmtime_wasi_http::Error;

    fn poll_frame(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        match Pin::new(&mut self.inner).poll_frame(cx) {
            Poll::Ready(Some(Ok(frame))) => {
                let len = frame.data_ref().map_or(0, |d| d.len() as u64);
                if len > self.left {
                    self.left = 0;
                    return Poll::Ready(Some(Err(wasmtime_wasi_http::Error::HttpRequestBodySize(Some(
                        self.limit,
                    )))));
                }
                self.left -= len;
                Poll::Ready(Some(Ok(frame)))
            }
            Poll::Ready(Some(Err(e))) => Poll::Ready(Some(Err(e.into()))),
            Poll::Ready(None) => Poll::Ready(None),
            Poll::Pending => Poll::Pending,
        }
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

/// A request's store, from `open` until `close`.
struct Guest {
    host: tairitsu_http_host,
    request: *mut c_void,
    store: *mut wasmtime_store_t,
}

// The store moves with its request's task; nothing else touches it.
unsafe impl Send for Guest {}

impl Guest {
    /// The store's context, for as long as the guest is open.
    fn context(&self) -> wasmtime_c_api::WasmtimeStoreContextMut<'static> {
        unsafe { wasmtime_store_context(&mut *self.store) }
    }

    /// Ends the request's store, with why the handler failed if it did.
    fn close(mut self, outcome: wasmtime::Result<()>) -> Option<Box<tairitsu_http_failure>> {
        let mut failure = tairitsu_http_failure::new();
        let failed = outcome.is_err();
        let error = match outcome {
            Ok(()) => std::ptr::null_mut(),
            Err(e) => Box::into_raw(Box::new(wasmtime_error_t::from(e))),
        };
        unsafe { (self.host.close)(self.host.data, self.request, error, &mut *failure) };
        self.store = std::ptr::null_mut();
        failed.then_some(failure)
    }
}

impl Drop for Guest {
    fn drop(&mut self) {
        if !self.store.is_null() {
            // Cancelled (the server is going away): close without a verdict.
            let mut failure = tairitsu_http_failure::new();
            unsafe { (self.host.close)(self.host.data, self.request, std::ptr::null_mut(), &mut *failure) };
        }
    }
}

impl Server {
    fn text(&self, record: Record, text: String) -> Response<ServedBody> {
        let status = record.status;
        let body = Full::new(Bytes::from(text + "\n"))
            .map_err(|never| match never {})
            .boxed_unsync();
        let mut response = Response::new(ServedBody {
            inner: body,
            record: Some(record),
            handler: None,
        });
        *response.status_mut() =
            hyper::StatusCode::from_u16(status).unwrap_or(hyper::StatusCode::INTERNAL_SERVER_ERROR);
        response.headers_mut().insert(
            hyper::header::CONTENT_TYPE,
            hyper::header::HeaderValue::from_static("text/plain; charset=utf-8"),
        );
        response
    }

    async fn handle(self: Arc<Self>, request: Request<Incoming>) -> Response<ServedBody> {
        let mut record = Record {
            host: self.host,
            method: request.method().to_string(),
            target: request
                .uri()
                .path_and_query()
                .map_or_else(|| request.uri().to_string(), |p| p.to_string()),
            start: Instant::now(),
            status: 200,
            outcome: TAIRITSU_HTTP_SERVED,
            body_bytes: 0,
            reason: String::new(),
            ended: false,
        };
        let refuse = |mut record: Record, status: u16, reason: String| {
            record.status = status;
            record.outcome = TAIRITSU_HTTP_REFUSED;
            record.reason = reason.clone();
            self.text(record, reason)
        };
        // Hyper bounds a head that arrives in pieces; one that arrives whole
        // is measured here.
        let head = request.method().as_str().len()
            + request.uri().to_string().len()
            + 12
            + request
                .headers()
                .iter()
                .map(|(n, v)| n.as_str().len() + v.len() + 4)
                .sum::<usize>();
        if head as u64 > self.max_header_bytes {
            let limit = self.max_header_bytes;
            return refuse(
                record,
                431,
                format!("the request head of {head} bytes is over the limit of {limit} bytes"),
            );
        }
        let declared = request
            .headers()
            .get(hyper::header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<u64>().ok());
        if let Some(length) = declared.filter(|&l| l > self.max_request_body) {
            let limit = self.max_request_body;
            return refuse(
                record,
                413,
                format!("the request body of {length} bytes is over the limit of {limit} bytes"),
            );
        }
        // Held by the handler's task: it may go on after the response's head.
        let Ok(permit) = self.requests.clone().acquire_owned().await else {
            return refuse(record, 503, "the server is stopping".into());
        };

        let (guest, incoming, outparam, receiver) = {
            let mut failure = tairitsu_http_failure::new();
            let mut opened: *mut c_void = std::ptr::null_mut();
            let store = unsafe { (self.host.open)(self.host.data, &mut opened, &mut *failure) };
            if store.is_null() {
                record.reason = failure.log_text();
                return refuse(record, failure.status, failure.client_text());
            }
            let guest = Guest {
                host: self.host,
                request: opened,
                store,
            };
            let limit = self.max_request_body;
            let request = request.map(|inner| RequestBody {
                inner,
                left: limit,
                limit,
            });
            let (sender, receiver) = tokio::sync::oneshot::channel();
            let mut context = guest.context();
            wasmtime_context_set_wasi_http(context.as_context_mut());
            let data = context.data_mut();
            let made = data
                .http()
                .new_incoming_request(Scheme::Http, request)
                .and_then(|req| Ok((req, data.http().new_response_outparam(sender)?)));
            match made {
                Ok((incoming, outparam)) => (guest, incoming, outparam, receiver),
                Err(e) => {
                    drop(guest.close(Ok(())));
                    return refuse(record, 400, format!("the request cannot be handled: {e}"));
                }
            }
        };

        let pre = self.pre.clone();
        let timeout = self.request_timeout;
        let allowed = self.allowed.clone();
        let (done, ended) = tokio::sync::oneshot::channel();
        // The store was made on this thread; its task runs on the guests'.
        let key = guest.store as *const ();
        crate::sync_annotations::release(key);
        self.guests
            .spawn(crate::sync_annotations::Handoff::new(key, async move {
                let _permit = permit;
                let guest = guest;
                let mut context = guest.context();
                let run = async {
                    let proxy = pre.instantiate_async(&mut context).await?;
                    proxy
                        .wasi_http_incoming_handler()
                        .call_handle(&mut context, incoming, outparam)
                        .await
                };
                let run = WithAllowList {
                    list: allowed,
                    inner: Box::pin(run),
                };
                let outcome = match timeout {
                    Some(limit) => match tokio::time::timeout(limit, run).await {
                        Ok(outcome) => outcome,
                        Err(_) => Err(wasmtime::Error::msg(format!(
                            "the request ran past its deadline of {} ms",
                            limit.as_millis()
                        ))),
                    },
                    None => run.await,
                };
                let failure = guest.close(outcome);
            if let Some(failure) = &failure {
                crate::sync_annotations::release(&**failure); // filled on this thread, read on the connection's
            }
            let _ = done.send(failure);
            }));

        match receiver.await {
            Ok(Ok(response)) => {
                record.status = response.status().as_u16();
                response.map(|inner| ServedBody {
                    inner,
                    record: Some(record),
                    handler: Some(ended),
                })
            }
            Ok(Err(code)) => {
                record.status = 500;
                record.outcome = TAIRITSU_HTTP_HANDLER_FAILED;
                record.reason = format!("the handler answered with the error {code:?}");
                let text = record.reason.clone();
                self.text(record, text)
            }
            Err(_) => {
                // No response: the handler failed, or returned without one.
                let failure = ended.await.ok().flatten();
                if let Some(failure) = &failure {
                    crate::sync_annotations::acquire(&**failure);
                }
                record.outcome = TAIRITSU_HTTP_HANDLER_FAILED;
                match failure {
                    Some(failure) => {
                        record.status = failure.status;
                        record.reason = failure.log_text();
                        self.text(record, failure.client_text())
                    }
                    None => {
                        record.status = 500;
                        record.reason = "the handler returned without setting a response".into();
                        let text = record.reason.clone();
                        self.text(record, text)
                    }
                }
            }
        }
    }
}
