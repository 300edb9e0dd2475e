/* The native library's functions that need none of Wasmtime's types: owned
 * bytes and WIT resolution (wit-parser), for the layers below the engine. */
#ifndef TAIRITSU_NATIVE_BASE_H
#define TAIRITSU_NATIVE_BASE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Bytes owned by the native library; release them with tairitsu_bytes_free. */
typedef struct tairitsu_bytes {
  uint8_t *data;
  size_t len;
} tairitsu_bytes;

void tairitsu_bytes_free(tairitsu_bytes *bytes);

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
