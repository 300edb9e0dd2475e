//! The native half of Tairitsu: Wasmtime's C API, re-exported whole, plus the
//! component-model tools that the C API does not offer. Each tool is a small
//! `extern "C"` function declared in `native/include/tairitsu_native.h`; every policy
//! decision stays in C++.

pub use wasmtime_c_api::*;

mod async_host;
mod byte_channel;
mod call_deadline;
mod componentize;
mod executor;
mod engine_config;
mod fast_call;
mod fiber;
mod fiber_wasi_waits;
mod guest_streams;
mod http_server;
mod instance_items;
mod instance_pre;
mod limits;
mod outbound_http;
mod scalar_call;
mod sync_annotations;
mod wit;
