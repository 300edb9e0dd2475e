/* The native library's functions beyond Wasmtime's C API (see native/src):
 * what speaks Wasmtime's types, for the engine layer. What needs none of them
 * (WIT resolution, owned bytes) is in tairitsu_native_base.h. */
#ifndef TAIRITSU_NATIVE_H
#define TAIRITSU_NATIVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <wasmtime.h>

#include "tairitsu_native_base.h"

#ifdef __cplusplus
extern "C" {
#endif

/* 1 when the core module exports `name`, 0 when not, -1 when it cannot be parsed. */
int32_t tairitsu_core_module_exports(const uint8_t *module, size_t module_len, const uint8_t *name,
                                     size_t name_len);

/* Encodes a WASI preview1 core module as a component with the command adapter
 * (command != 0) or the reactor adapter. 0 on success (out filled), -1 on failure
 * (error filled with a UTF-8 message). */
int32_t tairitsu_componentize(const uint8_t *module, size_t module_len, int32_t command,
                              tairitsu_bytes *out, tairitsu_bytes *error);

/* Switches the WebAssembly or component-model proposal `name` (Wasmtime's
 * test-script name, such as "multi_memory") on or off. 1 on success, 0 for an
 * unknown name. */
int32_t tairitsu_config_set_feature(wasm_config_t *config, const char *name, size_t name_len,
                                    bool enabled);

/* Makes an engine of `config` (consumed). NULL on success with `out` set;
 * otherwise why the configuration was refused. */
wasmtime_error_t *tairitsu_engine_new(wasm_config_t *config, wasm_engine_t **out);

/* A container's limiter (native/src/limits.rs): linear memories and tables
 * counted together over the whole store (a table element as 8 bytes), table
 * elements over all tables; growth past a limit traps naming it. */
typedef struct tairitsu_limiter tairitsu_limiter;
enum {
  TAIRITSU_LIMIT_HIT_NONE = 0,
  TAIRITSU_LIMIT_HIT_MEMORY = 1,
  TAIRITSU_LIMIT_HIT_TABLE = 2,
};
/* Installs a limiter on `store` (negative: unlimited; instances negative:
 * Wasmtime's default). Delete it with tairitsu_limiter_delete after the store. */
tairitsu_limiter *tairitsu_limiter_install(wasmtime_store_t *store, int64_t memory_bytes,
                                           int64_t table_elements, int64_t instances);
/* The limit the limiter last enforced (TAIRITSU_LIMIT_HIT_*); forgets it. */
uint32_t tairitsu_limiter_take_hit(tairitsu_limiter *limiter);
void tairitsu_limiter_delete(tairitsu_limiter *limiter);

/* The trap code of an error that is a wasm trap (wasmtime_trap_code_t's
 * numbering: WASMTIME_TRAP_CODE_INTERRUPT, _OUT_OF_FUEL, ...), or -1. */
int32_t tairitsu_error_trap_code(const wasmtime_error_t *error);

/* Sets the calling thread's call deadline (CLOCK_MONOTONIC nanoseconds,
 * INT64_MAX for none), returning the one it replaces. Blocking WASI calls
 * linked by tairitsu_linker_bound_wasi_waits end with a trap at it. */
int64_t tairitsu_call_deadline_exchange(int64_t deadline_ns);

/* Links wasi:io/poll and wasi:io/streams again over the synchronous WASI the
 * linker has, with every blocking call bounded by the call deadline. */
wasmtime_error_t *tairitsu_linker_bound_wasi_waits(wasmtime_component_linker_t *linker);
/* The same for containers whose calls all run on a fiber: the blocking calls
 * suspend the guest's fiber (leaving the thread to other calls) until they end
 * or the call's deadline passes. */
wasmtime_error_t *tairitsu_linker_fiber_wasi_waits(wasmtime_component_linker_t *linker);

/* Fast calls: typed calls of common signatures through Wasmtime's TypedFunc,
 * without the C API's generic values (see native/src/fast_call.rs, the one
 * catalogue of their shapes). */

typedef struct tairitsu_slice {
  const uint8_t *data;
  size_t len;
} tairitsu_slice;

/* One argument or result of a typed call: a scalar's 64 raw bits (integers
 * sign- or zero-extended, floats as their IEEE bits, a char as its code
 * point, a bool as 0 or 1) or a run of bytes (a string's UTF-8, a list<u8>). */
typedef union tairitsu_flat {
  uint64_t bits;
  tairitsu_slice slice;
} tairitsu_flat;

/* The fast shape of a WIT signature written without parameter names
 * ("func(s32, s32) -> s32"), or 0 when it has none. */
uint32_t tairitsu_fast_shape(const char *signature, size_t len);

/* 1 when `func` has the signature `shape` stands for, else 0. */
int32_t tairitsu_fast_check(const wasmtime_component_func_t *func, wasmtime_context_t *context,
                            uint32_t shape);

/* Where a list<u8> result goes: `put(env, data, len)` copies it, straight
 * from the guest's memory, into the caller's buffer. */
typedef struct tairitsu_byte_sink {
  void *env;
  void (*put)(void *env, const uint8_t *data, size_t len);
} tairitsu_byte_sink;

/* Calls `func` (checked with tairitsu_fast_check) with `args` (string
 * arguments valid UTF-8: the caller checks); a scalar result goes to
 * `result`, a string result to `owned`, a list<u8> result to `sink`. NULL on
 * success. */
wasmtime_error_t *tairitsu_fast_call(const wasmtime_component_func_t *func,
                                     wasmtime_context_t *context, uint32_t shape,
                                     const tairitsu_flat *args, tairitsu_flat *result,
                                     tairitsu_bytes *owned, const tairitsu_byte_sink *sink);

/* A host function of a fast shape: arguments in `args`; a scalar result in
 * `result`, a string or list<u8> result as `result->slice`, which must stay
 * valid until the callback returns to the caller. NULL on success. */
typedef wasmtime_error_t *(*tairitsu_fast_host_callback)(void *env, wasmtime_context_t *context,
                                                         const tairitsu_flat *args,
                                                         tairitsu_flat *result);
wasmtime_error_t *tairitsu_linker_instance_add_fast_func(
    wasmtime_component_linker_instance_t *instance, const char *name, size_t name_len,
    uint32_t shape, tairitsu_fast_host_callback callback, void *env);

/* The core module `instance` exports at its root as `name`: 1 with `out` set
 * (free it with wasmtime_module_delete), 0 when there is none. */
int32_t tairitsu_component_instance_get_module(const wasmtime_component_instance_t *instance,
                                               wasmtime_context_t *context, const char *name,
                                               size_t name_len, wasmtime_module_t **out);

/* The resource type `instance` exports at its root as `name`: 1 with `out` set
 * (free it with wasmtime_component_resource_type_delete), 0 when there is none. */
int32_t tairitsu_component_instance_get_resource(const wasmtime_component_instance_t *instance,
                                                 wasmtime_context_t *context, const char *name,
                                                 size_t name_len,
                                                 wasmtime_component_resource_type_t **out);

/* Drops a resource handle on a fiber: the form that works inside a host
 * function of a concurrent engine. NULL on success. */
wasmtime_error_t *tairitsu_resource_any_drop_async(wasmtime_context_t *context,
                                                   const wasmtime_component_resource_any_t *resource);

/* Scalar calls: functions whose parameters and result are all scalars, called
 * without the C API's generic values (see native/src/scalar_call.rs). Each
 * value is 64 raw bits, as in tairitsu_flat. */
enum {
  TAIRITSU_SCALAR_BOOL = 0,
  TAIRITSU_SCALAR_S8 = 1,
  TAIRITSU_SCALAR_U8 = 2,
  TAIRITSU_SCALAR_S16 = 3,
  TAIRITSU_SCALAR_U16 = 4,
  TAIRITSU_SCALAR_S32 = 5,
  TAIRITSU_SCALAR_U32 = 6,
  TAIRITSU_SCALAR_S64 = 7,
  TAIRITSU_SCALAR_U64 = 8,
  TAIRITSU_SCALAR_F32 = 9,
  TAIRITSU_SCALAR_F64 = 10,
  TAIRITSU_SCALAR_CHAR = 11,
  TAIRITSU_SCALAR_MAX_PARAMS = 16,
};

/* Calls `func` with `nargs` (at most TAIRITSU_SCALAR_MAX_PARAMS) arguments of
 * kinds `kinds` and bits `args[i].bits`; with `nresults` 1, the result's bits go to
 * `results[0]`. A kind that does not fit the function's type is an error.
 * With `concurrent` (an engine with component-model async) the call runs on a
 * fiber, where the guest may suspend. NULL on success. */
wasmtime_error_t *tairitsu_scalar_call(const wasmtime_component_func_t *func,
                                       wasmtime_context_t *context, const uint8_t *kinds,
                                       const tairitsu_flat *args, size_t nargs, uint64_t *results,
                                       size_t nresults, bool concurrent);

/* A component's imports resolved against a linker once (the C API has no
 * component InstancePre). The linker must not change afterwards. */
typedef struct tairitsu_instance_pre tairitsu_instance_pre;
wasmtime_error_t *tairitsu_instance_pre_new(const wasmtime_component_linker_t *linker,
                                            const wasmtime_component_t *component,
                                            tairitsu_instance_pre **out);
wasmtime_error_t *tairitsu_instance_pre_instantiate(const tairitsu_instance_pre *pre,
                                                    wasmtime_context_t *context,
                                                    wasmtime_component_instance_t *instance_out);
/* The same on a fiber, waiting for the end: for engines with component-model
 * async, whose start functions may suspend. */
wasmtime_error_t *tairitsu_instance_pre_instantiate_async(const tairitsu_instance_pre *pre,
                                                          wasmtime_context_t *context,
                                                          wasmtime_component_instance_t *instance_out);
void tairitsu_instance_pre_delete(tairitsu_instance_pre *pre);

/* Byte streams between C++ and a guest (native/src/byte_channel.rs): a
 * bounded in-memory channel whose one end is a wasi:io/streams resource in the
 * store's WASI table and whose other end C++ holds. */
typedef struct tairitsu_byte_channel tairitsu_byte_channel;
typedef enum tairitsu_channel_status {
  TAIRITSU_CHANNEL_OK = 0,         /* done (a read of 0 bytes: nothing yet, when not waiting) */
  TAIRITSU_CHANNEL_CLOSED = 1,     /* the guest's side is gone or ended the stream */
  TAIRITSU_CHANNEL_TIMED_OUT = 2,  /* the wait ran out first */
  TAIRITSU_CHANNEL_ENDED = 3,      /* C++'s side already ended the stream */
} tairitsu_channel_status;
/* An input-stream the guest reads and C++ feeds, or an output-stream the guest
 * writes and C++ drains; up to `capacity` bytes buffered. NULL on success with
 * both outputs set (delete the resource with wasmtime_component_resource_any_delete,
 * the channel with tairitsu_byte_channel_delete). */
wasmtime_error_t *tairitsu_input_stream_new(wasmtime_context_t *context, size_t capacity,
                                            tairitsu_byte_channel **channel_out,
                                            wasmtime_component_resource_any_t **stream_out);
wasmtime_error_t *tairitsu_output_stream_new(wasmtime_context_t *context, size_t capacity,
                                             tairitsu_byte_channel **channel_out,
                                             wasmtime_component_resource_any_t **stream_out);
/* Timeouts: negative, no waiting; INT64_MAX, forever; otherwise nanoseconds.
 * `written`/`read` count the bytes moved, whatever the status. A read at the
 * end of the stream gives 0 bytes and TAIRITSU_CHANNEL_CLOSED. */
tairitsu_channel_status tairitsu_byte_channel_write(const tairitsu_byte_channel *channel, const uint8_t *bytes,
                                                    size_t len, int64_t timeout_ns, size_t *written);
tairitsu_channel_status tairitsu_byte_channel_read(const tairitsu_byte_channel *channel, uint8_t *out,
                                                   size_t len, int64_t timeout_ns, size_t *read);
/* Ends C++'s side: a feeder ends the stream (the guest reads what is buffered,
 * then `closed`, or `last-operation-failed` with `message` when not NULL); a
 * drainer closes it (the guest's next write fails likewise). */
void tairitsu_byte_channel_finish(const tairitsu_byte_channel *channel, const uint8_t *message,
                                  size_t message_len);
/* Bytes buffered now; `peer_gone` tells whether the guest's side has ended. */
size_t tairitsu_byte_channel_buffered(const tairitsu_byte_channel *channel, bool *peer_gone);
/* Releases C++'s end, ending its side unless it was ended already. */
void tairitsu_byte_channel_delete(tairitsu_byte_channel *channel);

/* wasi:io streams a guest made and handed to the host (native/src/guest_streams.rs).
 * The WASI table index of a stream handle (an output-stream when `output`);
 * an owned handle passes to the host. NULL on success. */
wasmtime_error_t *tairitsu_wasi_stream_rep(wasmtime_context_t *context,
                                           const wasmtime_component_resource_any_t *handle, bool output,
                                           uint32_t *rep);
/* Drops an owned stream handle the host holds, and the stream with it (its
 * entry in WASI's table: the other end sees the end). NULL on success. */
wasmtime_error_t *tairitsu_wasi_stream_drop(wasmtime_context_t *context,
                                            const wasmtime_component_resource_any_t *handle, bool output);
/* Writes all of `bytes` to output-stream `rep` and flushes, waiting as the call
 * deadline allows; `closed` set when the stream is closed. NULL otherwise on success. */
wasmtime_error_t *tairitsu_wasi_stream_write(wasmtime_context_t *context, uint32_t rep, const uint8_t *bytes,
                                             size_t len, bool *closed);
/* Reads up to `len` bytes from input-stream `rep`, waiting for at least one;
 * at the end of the stream 0 bytes and `closed`. */
wasmtime_error_t *tairitsu_wasi_stream_read(wasmtime_context_t *context, uint32_t rep, uint8_t *out, size_t len,
                                            size_t *read, bool *closed);

/* Work on a fiber, waited for with a waker that unparks the calling thread
 * (native/src/fiber.rs): calls and instantiations of containers whose engine is
 * concurrent or whose host functions are async. The wait ends early at the
 * calling thread's call deadline (tairitsu_call_deadline_exchange). */
wasmtime_error_t *tairitsu_func_call_on_fiber(const wasmtime_component_func_t *func, wasmtime_context_t *context,
                                              const wasmtime_component_val_t *args, size_t nargs,
                                              wasmtime_component_val_t *results, size_t nresults);
wasmtime_error_t *tairitsu_linker_instantiate_on_fiber(const wasmtime_component_linker_t *linker,
                                                       wasmtime_context_t *context,
                                                       const wasmtime_component_t *component,
                                                       wasmtime_component_instance_t *instance_out);

/* Async host functions (native/src/async_host.rs): the callback gets the
 * arguments and a completion (one reference, released with
 * tairitsu_completion_release) and returns at once; the guest's call waits on
 * its fiber until the completion is finished from any thread. A non-NULL
 * error from the callback fails the call at once. */
typedef struct tairitsu_completion tairitsu_completion;
typedef wasmtime_error_t *(*tairitsu_async_host_callback)(void *env, wasmtime_context_t *context,
                                                          const wasmtime_component_func_type_t *type,
                                                          wasmtime_component_val_t *args, size_t nargs,
                                                          size_t nresults, const tairitsu_completion *completion);
wasmtime_error_t *tairitsu_linker_instance_add_async_func(wasmtime_component_linker_instance_t *instance,
                                                          const char *name, size_t name_len,
                                                          tairitsu_async_host_callback callback, void *env,
                                                          void (*finalizer)(void *));
typedef enum tairitsu_completion_status {
  TAIRITSU_COMPLETION_DELIVERED = 0,         /* the call takes the answer */
  TAIRITSU_COMPLETION_ALREADY_FINISHED = 1,  /* finished before: this answer is dropped */
  TAIRITSU_COMPLETION_CALL_GONE = 2,         /* the call went away: this answer is dropped */
} tairitsu_completion_status;
/* Finishes the call with `results` or, when `error` is not NULL, with the
 * error; both are taken over whatever the status. */
tairitsu_completion_status tairitsu_completion_finish(const tairitsu_completion *completion,
                                                      wasmtime_component_val_t *results, size_t nresults,
                                                      wasmtime_error_t *error);
/* Whether the call still waits for the completion. */
bool tairitsu_completion_pending(const tairitsu_completion *completion);
void tairitsu_completion_release(const tairitsu_completion *completion);

/* The executor of calls started from C++ without waiting (native/src/executor.rs):
 * worker threads, a queue of calls ready to go on, a timer for deadlines. */
typedef struct tairitsu_executor tairitsu_executor;
typedef struct tairitsu_call_task tairitsu_call_task;
tairitsu_executor *tairitsu_executor_new(size_t threads);
/* Joins the workers once no call is queued; calls still waiting are dropped. */
void tairitsu_executor_delete(tairitsu_executor *executor);
/* How a call reports back, once, on a worker thread (or in
 * tairitsu_call_task_cancel): an error (taken over) or the results (valid
 * during the callback). */
typedef void (*tairitsu_call_done)(void *env, wasmtime_error_t *error, wasmtime_component_val_t *results,
                                   size_t nresults);
/* Starts a call of `func` in the store of `context`, which nothing else may use
 * until `done` runs; `deadline_ns` as tairitsu_call_deadline_exchange takes it.
 * Release the task with tairitsu_call_task_release. */
const tairitsu_call_task *tairitsu_executor_call(const tairitsu_executor *executor,
                                                 const wasmtime_component_func_t *func, wasmtime_context_t *context,
                                                 const wasmtime_component_val_t *args, size_t nargs,
                                                 size_t nresults, int64_t deadline_ns, tairitsu_call_done done,
                                                 void *env);
/* Cancels the call (its `done` reports it) once no worker polls it, and waits
 * for that; nothing when it has ended. */
void tairitsu_call_task_cancel(const tairitsu_call_task *task);
void tairitsu_call_task_release(const tairitsu_call_task *task);

/* Serving wasi:http/incoming-handler components (native/src/http_server.rs):
 * hyper on its own threads for the connections, guests on others, a fresh
 * store and instance per request made by the host's `open`. */
typedef struct tairitsu_http_config {
  const uint8_t *address; /* "host:port", not NUL-terminated */
  size_t address_len;
  uint32_t io_threads;
  uint32_t guest_threads; /* 0: one per core */
  uint32_t max_connections;
  uint32_t max_requests;
  uint64_t max_request_body;
  uint64_t max_header_bytes; /* at least 8 KiB */
  uint64_t header_timeout_ms; /* also how long an idle kept-alive connection stays */
  uint64_t request_timeout_ms; /* 0: no bound on a handler's wall-clock time */
  const uint8_t *allow_http;   /* origins guests may reach, one HOST[:PORT] a line */
  size_t allow_http_len;
} tairitsu_http_config;

/* Why a request's handler failed: status and text for the client, and what the log says. */
typedef struct tairitsu_http_failure {
  uint16_t status;
  uint8_t client[256];
  size_t client_len;
  uint8_t log[1024];
  size_t log_len;
} tairitsu_http_failure;

enum {
  TAIRITSU_HTTP_SERVED = 0,
  TAIRITSU_HTTP_HANDLER_FAILED = 1, /* trapped, hit a limit, or answered with an error code */
  TAIRITSU_HTTP_REFUSED = 2,        /* before any guest ran */
  TAIRITSU_HTTP_INCOMPLETE = 3,     /* the response's body did not end well */
};

/* One finished request. */
typedef struct tairitsu_http_record {
  const uint8_t *method;
  size_t method_len;
  const uint8_t *target;
  size_t target_len;
  uint16_t status;
  uint32_t outcome;
  uint64_t body_bytes;
  uint64_t micros;
  const uint8_t *reason;
  size_t reason_len;
} tairitsu_http_record;

/* The host's side; its callbacks run on the server's threads. */
typedef struct tairitsu_http_host {
  void *data;
  /* A configured store for one request (`request` set for `close`), or NULL with `failure` filled. */
  wasmtime_store_t *(*open)(void *data, void **request, tairitsu_http_failure *failure);
  /* The handler ended; `error` (owned) is NULL unless it failed, and then `failure` is filled. Frees the store. */
  void (*close)(void *data, void *request, wasmtime_error_t *error, tairitsu_http_failure *failure);
  void (*log)(void *data, const tairitsu_http_record *record);
} tairitsu_http_host;

/* Links wasi:http/types and wasi:http/outgoing-handler (async forms) whose
 * outgoing requests reach only what the serving task allows
 * (native/src/outbound_http.rs). NULL on success. */
wasmtime_error_t *tairitsu_linker_add_wasi_http(wasmtime_component_linker_t *linker);

typedef struct tairitsu_http_server tairitsu_http_server;
/* Listens and serves. NULL on success with `out` set. */
wasmtime_error_t *tairitsu_http_server_start(const wasmtime_component_linker_t *linker,
                                             const wasmtime_component_t *component, const tairitsu_http_config *config,
                                             const tairitsu_http_host *host, tairitsu_http_server **out);
/* "host:port" as bound (not NUL-terminated), valid while the server is. */
const uint8_t *tairitsu_http_server_address(const tairitsu_http_server *server, size_t *len);
/* Stops accepting, lets open connections finish their request, waits up to
 * `drain_ms`; how many connections were still open then. */
uint32_t tairitsu_http_server_stop(tairitsu_http_server *server, uint64_t drain_ms);
/* Frees the server; every request's store is closed before it returns. */
void tairitsu_http_server_delete(tairitsu_http_server *server);

/* Registers a race detector's acquire/release annotations, so that handoffs
 * through the uninstrumented Rust half (tasks to executor threads, answers to
 * waiting calls) are seen as the synchronization they are
 * (native/src/sync_annotations.rs). NULL for none. */
void tairitsu_set_sync_annotations(void (*acquire)(const void *), void (*release)(const void *));

#ifdef __cplusplus
}
#endif

#endif
