//! Resolving WIT packages from files, with wit-parser, so that C++ never
//! parses WIT by hand. The result is wit-parser's own JSON form of a
//! `Resolve` (the same as `wasm-tools component wit --json`), plus the id of
//! the selected world.

use std::path::Path;
use std::slice;

use wit_parser::Resolve;

use crate::componentize::TairitsuBytes;

fn resolve_world(path: &str, world: Option<&str>) -> anyhow::Result<Vec<u8>> {
    let mut resolve = Resolve::default();
    // Rendered against the sources, the message names the file, line and column.
    let (package, _sources) = resolve
        .push_path(Path::new(path))
        .map_err(|e| anyhow::anyhow!(resolve.render_error(&e)))?;
    let world = resolve.select_world(&[package], world)?;
    // Written directly rather than through serde_json::Value, whose maps
    // would sort the interfaces' functions and types by name: the order of
    // the WIT is kept.
    let mut document = format!("{{\"world\":{},\"resolve\":", world.index()).into_bytes();
    serde_json::to_writer(&mut document, &resolve)?;
    document.push(b'}');
    Ok(document)
}

/// Resolves the WIT file or directory at `path` (with its `deps/`) and selects
/// `world` (empty: the package's only world). 0 on success with `out` holding
/// UTF-8 JSON `{"world": <index>, "resolve": <wit-parser Resolve>}`; -1 on
/// failure with `error` holding a UTF-8 message.
#[no_mangle]
pub unsafe extern "C" fn tairitsu_wit_resolve(
    path: *const u8,
    path_len: usize,
    world: *const u8,
    world_len: usize,
    out: *mut TairitsuBytes,
    error: *mut TairitsuBytes,
) -> i32 {
    let text = |ptr: *const u8, len: usize| -> anyhow::Result<String> {
        Ok(std::str::from_utf8(slice::from_raw_parts(ptr, len))?.to_owned())
    };
    let result = (|| {
        let path = text(path, path_len)?;
        let world = text(world, world_len)?;
        resolve_world(&path, if world.is_empty() { None } else { Some(world.as_str()) })
    })();
    match result {
        Ok(json) => {
            *out = TairitsuBytes::from_vec(json);
            0
        }
        Err(e) => {
            *error = TairitsuBytes::from_vec(format!("{e:#}").into_bytes());
            -1
        }
    }
}
