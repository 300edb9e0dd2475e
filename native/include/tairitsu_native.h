/* The native library's functions beyond Wasmtime's C API (see native/src). */
#ifndef TAIRITSU_NATIVE_H
#define TAIRITSU_NATIVE_H

#include <stddef.h>
#include <stdint.h>
#include <wasmtime.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Bytes owned by the native library; release them with tairitsu_bytes_free. */
typedef struct tairitsu_bytes {
  uint8_t *data;
  size_t len;
} tairitsu_bytes;

void tairitsu_bytes_free(tairitsu_bytes *bytes);

/* 1 when the core module exports `name`, 0 when not, -1 when it cannot be parsed. */
int32_t tairitsu_core_module_exports(const uint8_t *module, size_t module_len, const uint8_t *name,
                                     size_t name_len);

/* Encodes a WASI preview1 core module as a component with the command adapter
 * (command != 0) or the reactor adapter. 0 on success (out filled), -1 on failure
 * (error filled with a UTF-8 message). */
int32_t tairitsu_componentize(const uint8_t *module, size_t module_len, int32_t command,
                              tairitsu_bytes *out, tairitsu_bytes *error);

/* Sets the store's limits (negative: unlimited) and makes growth beyond them trap.
 * Call wasmtime_store_limiter first. */
void tairitsu_store_trap_on_grow_failure(wasmtime_context_t *context, int64_t memory_size,
                                         int64_t table_elements, int64_t instances);

/* Resolves the WIT file or directory at `path` (with its deps/) and selects
 * `world` (empty: the package's only world). 0 on success, with `out` holding
 * UTF-8 JSON {"world": <index>, "resolve": <wit-parser's Resolve>}; -1 on failure
 * (error filled with a UTF-8 message). */
int32_t tairitsu_wit_resolve(const uint8_t *path, size_t path_len, const uint8_t *world,
                             size_t world_len, tairitsu_bytes *out, tairitsu_bytes *error);

#ifdef __cplusplus
}
#endif

#endif
