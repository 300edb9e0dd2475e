// Byte streams between the host and a guest: the host's ends of the streams
// it makes (native/src/byte_channel.rs), and the guest's own streams read and
// written from a host function (native/src/guest_streams.rs).

#include "tairitsu/stream.hpp"

#include "engine/container_core.hpp"

namespace tairitsu {

namespace detail {

namespace {

int64_t timeout_ns(StreamTimeout timeout) {
  if (!timeout) return INT64_MAX;
  return timeout->count() <= 0 ? -1 : std::chrono::duration_cast<std::chrono::nanoseconds>(*timeout).count();
}

Error status_error(tairitsu_channel_status status, std::string_view what, StreamTimeout timeout) {
  switch (status) {
    case TAIRITSU_CHANNEL_CLOSED:
      return Error(ErrorCode::InvalidState, std::string(what) + ": the guest closed the stream");
    case TAIRITSU_CHANNEL_ENDED:
      return Error(ErrorCode::InvalidState, std::string(what) + ": the host already ended the stream");
    case TAIRITSU_CHANNEL_TIMED_OUT:
      return Error(ErrorCode::LimitExceeded, std::string(what) + ": the stream was not ready within " +
                                                 std::to_string(timeout ? timeout->count() : 0) + " ms");
    case TAIRITSU_CHANNEL_OK: break;
  }
  return Error(ErrorCode::Internal, std::string(what) + ": unexpected stream status");
}

Error no_stream(std::string_view what) {
  return Error(ErrorCode::InvalidState, std::string(what) + ": this end of the stream was moved away");
}

// Makes a stream in the store of `core` (with the given context): an
// input-stream for the host to feed, or an output-stream for it to drain.
template <typename Made>
Result<Made> new_stream(ContainerCore &core, wasmtime_context_t *context, std::size_t capacity) {
  constexpr bool input = std::is_same_v<Made, HostInputStream>;
  using Stream = std::conditional_t<input, InputStream, OutputStream>;
  using End = std::conditional_t<input, StreamWriter, StreamReader>;
  std::string what =
      std::string("making an ") + (input ? "input" : "output") + "-stream in container '" + core.name + "'";
  if (!context) {
    return Error(ErrorCode::InvalidState, what + ": the container has no instance");
  }
  tairitsu_byte_channel *channel = nullptr;
  wasmtime_component_resource_any_t *stream = nullptr;
  wasmtime_error_t *err = input ? tairitsu_input_stream_new(context, capacity, &channel, &stream)
                                : tairitsu_output_stream_new(context, capacity, &channel, &stream);
  if (err) {
    return take_error(err, ErrorCode::Internal).with_context(what);
  }
  ResourceHandle handle = make_resource_handle(stream, core.store_link);
  static_cast<EngineResourceSlot &>(*handle.slot()).stream =
      input ? EngineResourceSlot::Stream::Input : EngineResourceSlot::Stream::Output;
  return Made{Own<Stream>(std::move(handle)), End(channel)};
}

// The WASI table index of a stream the guest handed over, read once per handle.
Result<uint32_t> guest_stream_rep(wasmtime_context_t *context, const Value &handle, bool output) {
  std::string_view kind = output ? "output-stream" : "input-stream";
  return host_rep_of(handle, kind, "reading an " + std::string(kind) + " handle",
                     [&](const wasmtime_component_resource_any_t *any, uint32_t *rep) {
                       return tairitsu_wasi_stream_rep(context, any, output, rep);
                     });
}

Result<void> write_guest_stream(wasmtime_context_t *context, const Value &stream, std::span<const std::byte> bytes) {
  auto rep = guest_stream_rep(context, stream, true);
  if (!rep) return std::move(rep).error();
  bool closed = false;
  if (wasmtime_error_t *err = tairitsu_wasi_stream_write(context, *rep, reinterpret_cast<const uint8_t *>(bytes.data()),
                                                         bytes.size(), &closed)) {
    return take_error(err, ErrorCode::Io).with_context("writing to the guest's output-stream");
  }
  if (closed) {
    return Error(ErrorCode::InvalidState, "writing to the guest's output-stream: the stream is closed");
  }
  return {};
}

Result<std::size_t> read_guest_stream(wasmtime_context_t *context, const Value &stream, std::span<std::byte> out) {
  auto rep = guest_stream_rep(context, stream, false);
  if (!rep) return std::move(rep).error();
  std::size_t read = 0;
  bool closed = false;
  if (wasmtime_error_t *err = tairitsu_wasi_stream_read(context, *rep, reinterpret_cast<uint8_t *>(out.data()),
                                                        out.size(), &read, &closed)) {
    return take_error(err, ErrorCode::Io).with_context("reading from the guest's input-stream");
  }
  return read;
}

}  // namespace

// --- The host's ends ---

StreamEnd &StreamEnd::operator=(StreamEnd &&other) noexcept {
  if (this != &other) {
    tairitsu_byte_channel_delete(std::exchange(channel_, std::exchange(other.channel_, nullptr)));
  }
  return *this;
}

StreamEnd::~StreamEnd() { tairitsu_byte_channel_delete(channel_); }

void StreamEnd::finish(std::optional<std::string_view> failure) {
  if (!channel_) return;
  tairitsu_byte_channel_finish(channel_, failure ? reinterpret_cast<const uint8_t *>(failure->data()) : nullptr,
                               failure ? failure->size() : 0);
}

std::size_t StreamEnd::buffered() const {
  bool gone = false;
  return channel_ ? tairitsu_byte_channel_buffered(channel_, &gone) : 0;
}

bool StreamEnd::peer_gone() const {
  bool gone = true;
  if (channel_) tairitsu_byte_channel_buffered(channel_, &gone);
  return gone;
}

}  // namespace detail

Result<void> StreamWriter::write(std::span<const std::byte> bytes, StreamTimeout timeout) {
  if (!channel_) return detail::no_stream("writing to a stream");
  std::size_t written = 0;
  auto status = tairitsu_byte_channel_write(channel_, reinterpret_cast<const uint8_t *>(bytes.data()), bytes.size(),
                                            detail::timeout_ns(timeout), &written);
  if (status != TAIRITSU_CHANNEL_OK) {
    return detail::status_error(status, "writing " + std::to_string(bytes.size()) + " bytes to a stream", timeout);
  }
  return {};
}

Result<std::size_t> StreamWriter::try_write(std::span<const std::byte> bytes) {
  if (!channel_) return detail::no_stream("writing to a stream");
  std::size_t written = 0;
  auto status = tairitsu_byte_channel_write(channel_, reinterpret_cast<const uint8_t *>(bytes.data()), bytes.size(), -1,
                                            &written);
  if (status == TAIRITSU_CHANNEL_OK || status == TAIRITSU_CHANNEL_TIMED_OUT) {
    return written;
  }
  return detail::status_error(status, "writing to a stream", std::nullopt);
}

Result<std::size_t> StreamReader::read(std::span<std::byte> out, StreamTimeout timeout) {
  if (!channel_) return detail::no_stream("reading from a stream");
  std::size_t read = 0;
  auto status = tairitsu_byte_channel_read(channel_, reinterpret_cast<uint8_t *>(out.data()), out.size(),
                                           detail::timeout_ns(timeout), &read);
  if (status == TAIRITSU_CHANNEL_OK || status == TAIRITSU_CHANNEL_CLOSED) {
    return read;  // 0 with CLOSED: the end of the stream
  }
  return detail::status_error(status, "reading from a stream", timeout);
}

Result<std::size_t> StreamReader::try_read(std::span<std::byte> out) {
  if (!channel_) return detail::no_stream("reading from a stream");
  std::size_t read = 0;
  auto status = tairitsu_byte_channel_read(channel_, reinterpret_cast<uint8_t *>(out.data()), out.size(), -1, &read);
  if (status == TAIRITSU_CHANNEL_ENDED) {
    return detail::status_error(status, "reading from a stream", std::nullopt);
  }
  return read;  // 0: nothing yet (TIMED_OUT), or the end (CLOSED)
}

Result<std::string> StreamReader::read_to_end(StreamTimeout timeout) {
  auto deadline = timeout ? std::optional(std::chrono::steady_clock::now() + *timeout) : std::nullopt;
  std::string all;
  std::byte chunk[16 * 1024];
  for (;;) {
    StreamTimeout left;
    if (deadline) {
      left = std::chrono::duration_cast<std::chrono::milliseconds>(*deadline - std::chrono::steady_clock::now());
      if (left->count() <= 0) left = std::chrono::milliseconds(0);
    }
    auto n = read(chunk, left);
    if (!n) {
      if (left && left->count() == 0 && n.error().code() == ErrorCode::LimitExceeded) {
        return Error(ErrorCode::LimitExceeded, "reading a stream to its end: it did not end within " +
                                                   std::to_string(timeout->count()) + " ms (" +
                                                   std::to_string(all.size()) + " bytes read)");
      }
      return std::move(n).error();
    }
    if (*n == 0) {
      if (writer_done() && buffered() == 0) return all;
      continue;  // a zero-length read that is not the end (a try_read)
    }
    all.append(reinterpret_cast<const char *>(chunk), *n);
  }
}

// --- Making streams, and the guest's own ---

Result<HostInputStream> HostContext::input_stream(std::size_t capacity) {
  return detail::new_stream<HostInputStream>(core_, static_cast<wasmtime_context_t *>(store_context_), capacity);
}

Result<HostOutputStream> HostContext::output_stream(std::size_t capacity) {
  return detail::new_stream<HostOutputStream>(core_, static_cast<wasmtime_context_t *>(store_context_), capacity);
}

Result<void> HostContext::write_stream(const Value &output_stream, std::span<const std::byte> bytes) {
  return detail::write_guest_stream(static_cast<wasmtime_context_t *>(store_context_), output_stream, bytes);
}

Result<std::size_t> HostContext::read_stream(const Value &input_stream, std::span<std::byte> out) {
  return detail::read_guest_stream(static_cast<wasmtime_context_t *>(store_context_), input_stream, out);
}

Result<HostInputStream> Container::input_stream(std::size_t capacity) {
  return detail::new_stream<HostInputStream>(*core_, core_->store ? core_->context() : nullptr, capacity);
}

Result<HostOutputStream> Container::output_stream(std::size_t capacity) {
  return detail::new_stream<HostOutputStream>(*core_, core_->store ? core_->context() : nullptr, capacity);
}

}  // namespace tairitsu
