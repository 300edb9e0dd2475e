//! Outbound `wasi:http/outgoing-handler` under an allow-list: a served
//! guest may reach only the origins its server allows; any other request
//! gets the `HTTP-request-denied` error code (not a trap). The list travels
//! with the request's task: the task sets it for the thread while it polls
//! the guest, and `send_request` (called from the guest's poll) reads it.

use std::cell::Cell;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use wasmtime_c_api::{wasmtime_component_linker_t, wasmtime_error_t, WasmtimeStoreData};
use wasmtime_wasi_http::p2::bindings;
use wasmtime_wasi_http::{
    Error, RequestOptions, Result as HttpResult, WasiBody, WasiHttp, WasiHttpCtxView, WasiHttpHooks, WasiHttpView,
};

/// Origins a guest may reach: a host with any port, or a host and one port.
#[derive(Default)]
pub(crate) struct AllowList(Vec<(String, Option<u16>)>);

impl AllowList {
    /// From lines of `HOST[:PORT]`.
    pub(crate) fn parse(text: &str) -> AllowList {
        let entry = |line: &str| {
            let line = line.trim().to_ascii_lowercase();
            if let Some((host, port)) = line.rsplit_once(':') {
                let bare_ipv6 = host.contains(':') && !host.ends_with(']');
                if let (Ok(port), false) = (port.parse::<u16>(), host.is_empty() || bare_ipv6) {
                    return (host.to_string(), Some(port));
                }
            }
            (line, None)
        };
        AllowList(text.lines().filter(|l| !l.trim().is_empty()).map(entry).collect())
    }

    fn allows(&self, uri: &hyper::Uri) -> bool {
        let Some(host) = uri.host() else { return false };
        let host = host.to_ascii_lowercase();
        let port = uri
            .port_u16()
            .unwrap_or(if uri.scheme_str() == Some("https") { 443 } else { 80 });
        self.0.iter().any(|(h, p)| *h == host && p.is_none_or(|p| p == port))
    }
}

thread_local! {
    /// The allow-list of the guest this thread is polling, if any.
    static CURRENT: Cell<*const AllowList> = const { Cell::new(std::ptr::null()) };
}

/// A guest's future, polled with its allow-list in force.
pub(crate) struct WithAllowList<F> {
    pub(crate) list: Arc<AllowList>,
    pub(crate) inner: Pin<Box<F>>,
}

impl<F: Future> Future for WithAllowList<F> {
    type Output = F::Output;
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let list = Arc::as_ptr(&self.list);
        let previous = CURRENT.with(|c| c.replace(list));
        let polled = self.inner.as_mut().poll(cx);
        CURRENT.with(|c| c.set(previous));
        polled
    }
}

/// The hooks of every served guest: Wasmtime's defaults, but requests go
/// out only to allowed origins.
struct AllowListHooks;

impl WasiHttpHooks for AllowListHooks {
    fn send_request(
        &mut self,
        request: hyper::Request<WasiBody>,
        options: Option<RequestOptions>,
        fut: Box<dyn Future<Output = Result<(), Error>> + Send>,
    ) -> Box<
        dyn Future<
                Output = HttpResult<(
                    hyper::Response<WasiBody>,
                    Box<dyn Future<Output = Result<(), Error>> + Send>,
                )>,
            > + Send,
    > {
        let list = CURRENT.with(|c| c.get());
        // SAFETY: set only while the task that owns the list polls.
        let allowed = !list.is_null() && unsafe { &*list }.allows(request.uri());
        if !allowed {
            return Box::new(async { Err(Error::HttpRequestDenied) });
        }
        let defaults: &mut dyn WasiHttpHooks = wasmtime_wasi_http::default_hooks();
        defaults.send_request(request, options, fut)
    }
}

fn view(data: &mut WasmtimeStoreData) -> WasiHttpCtxView<'_> {
    let mut view = data.http();
    // A zero-sized value: leaking it allocates nothing.
    view.hooks = Box::leak(Box::new(AllowListHooks));
    view
}

/// Links `wasi:http/types` and `wasi:http/outgoing-handler` (async forms)
/// with the allow-list's hooks. NULL on success.
#[no_mangle]
pub extern "C" fn tairitsu_linker_add_wasi_http(
    linker: &mut wasmtime_component_linker_t,
) -> Option<Box<wasmtime_error_t>> {
    // `#[repr(transparent)]` over the linker (see instance_pre.rs).
    let linker = unsafe {
        &mut *(linker as *mut wasmtime_component_linker_t as *mut wasmtime::component::Linker<WasmtimeStoreData>)
    };
    let options = bindings::LinkOptions::default();
    let linked = bindings::http::outgoing_handler::add_to_linker::<_, WasiHttp>(linker, view)
        .and_then(|()| bindings::http::types::add_to_linker::<_, WasiHttp>(linker, &options.into(), view));
    linked.err().map(|e| Box::new(wasmtime_error_t::from(e)))
}
