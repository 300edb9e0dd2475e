//! Turning a WASI preview1 core module into a component, with the preview1
//! adapter that matches this Wasmtime release. The C API has no equivalent.

use std::slice;

use wasi_preview1_component_adapter_provider::{
    WASI_SNAPSHOT_PREVIEW1_ADAPTER_NAME, WASI_SNAPSHOT_PREVIEW1_COMMAND_ADAPTER,
    WASI_SNAPSHOT_PREVIEW1_REACTOR_ADAPTER,
};
use wit_component::ComponentEncoder;

/// Bytes owned by this library; release them with `tairitsu_bytes_free`.
#[repr(C)]
pub struct TairitsuBytes {
    pub data: *mut u8,
    pub len: usize,
}

impl TairitsuBytes {
    fn empty() -> Self {
        TairitsuBytes { data: std::ptr::null_mut(), len: 0 }
    }

    pub(crate) fn from_vec(bytes: Vec<u8>) -> Self {
        let boxed = bytes.into_boxed_slice();
        let len = boxed.len();
        let data = Box::into_raw(boxed) as *mut u8;
        TairitsuBytes { data, len }
    }
}

/// Frees bytes returned by this library. Null data is allowed.
#[no_mangle]
pub unsafe extern "C" fn tairitsu_bytes_free(bytes: *mut TairitsuBytes) {
    if bytes.is_null() || (*bytes).data.is_null() {
        return;
    }
    let b = &mut *bytes;
    drop(Box::from_raw(slice::from_raw_parts_mut(b.data, b.len)));
    *b = TairitsuBytes::empty();
}

/// Whether a core module exports a function named `name`: 1 yes, 0 no,
/// -1 when the bytes are not a parseable core module.
#[no_mangle]
pub unsafe extern "C" fn tairitsu_core_module_exports(
    module: *const u8,
    module_len: usize,
    name: *const u8,
    name_len: usize,
) -> i32 {
    let module = slice::from_raw_parts(module, module_len);
    let name = match std::str::from_utf8(slice::from_raw_parts(name, name_len)) {
        Ok(n) => n,
        Err(_) => return -1,
    };
    for payload in wasmparser::Parser::new(0).parse_all(module) {
        match payload {
            Ok(wasmparser::Payload::ExportSection(reader)) => {
                for export in reader {
                    match export {
                        Ok(e) if e.name == name => return 1,
                        Ok(_) => {}
                        Err(_) => return -1,
                    }
                }
            }
            Ok(_) => {}
            Err(_) => return -1,
        }
    }
    0
}

/// Encodes `module` as a component, adapting its `wasi_snapshot_preview1`
/// imports with the command adapter (`command != 0`) or the reactor adapter.
/// Returns 0 and fills `out`, or returns -1 and fills `error` with a UTF-8
/// message.
#[no_mangle]
pub unsafe extern "C" fn tairitsu_componentize(
    module: *const u8,
    module_len: usize,
    command: i32,
    out: *mut TairitsuBytes,
    error: *mut TairitsuBytes,
) -> i32 {
    *out = TairitsuBytes::empty();
    *error = TairitsuBytes::empty();
    let module = slice::from_raw_parts(module, module_len);
    let adapter = if command != 0 {
        WASI_SNAPSHOT_PREVIEW1_COMMAND_ADAPTER
    } else {
        WASI_SNAPSHOT_PREVIEW1_REACTOR_ADAPTER
    };
    let encoded = ComponentEncoder::default()
        .validate(true)
        .module(module)
        .and_then(|e| e.adapter(WASI_SNAPSHOT_PREVIEW1_ADAPTER_NAME, adapter))
        .and_then(|mut e| e.encode());
    match encoded {
        Ok(bytes) => {
            *out = TairitsuBytes::from_vec(bytes);
            0
        }
        Err(e) => {
            *error = TairitsuBytes::from_vec(format!("{e:#}").into_bytes());
            -1
        }
    }
}
