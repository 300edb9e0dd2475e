#pragma once

/// Byte streams between the host and a guest, as `wasi:io/streams` resources.
///
/// `HostContext::input_stream()` (or `Container::input_stream()`) makes an
/// `input-stream` the guest reads and the host feeds through a `StreamWriter`;
/// `output_stream()` makes an `output-stream` the guest writes and the host
/// drains through a `StreamReader`. The stream itself is an ordinary owned
/// resource handle: return it from a host function, pass it to an export,
/// or keep it in a typed binding as `Own<InputStream>` / `Own<OutputStream>`.
///
///     auto in = container.input_stream();                  // the guest reads it
///     auto out = container.output_stream();                // the guest writes it
///     std::thread feeder([&] { in->writer.write(bytes); in->writer.close(); });
///     auto echoed = container.call("echo", {Value::resource(in->stream.release()),
///                                           Value::resource(out->stream.release())});
///     std::string all = out->reader.read_to_end().value();
///
/// Each stream buffers up to `capacity` bytes: a host that writes faster than
/// the guest reads waits for room (or is told how much fit, with
/// `try_write`), and a guest that writes faster than the host reads waits
/// on its pollable; nothing is dropped. The host's ends work from any thread;
/// closing one end is seen at the other (`stream-error.closed` in the guest,
/// the end of the stream or `InvalidState` on the host), and `fail(message)`
/// reaches the guest as `last-operation-failed` with the message.

#include <chrono>
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include "tairitsu/error.hpp"
#include "tairitsu/typed_resources.hpp"

struct tairitsu_byte_channel;  // native/src/byte_channel.rs

namespace tairitsu {

/// Tags for `Own<T>`/`Borrow<T>` of the `wasi:io/streams` resources.
struct InputStream;
struct OutputStream;
template <>
struct WitResource<InputStream> {
  static constexpr const char *name = "input-stream";
};
template <>
struct WitResource<OutputStream> {
  static constexpr const char *name = "output-stream";
};

/// The default buffer of a host stream, in bytes.
inline constexpr std::size_t kDefaultStreamCapacity = 64 * 1024;

/// How long a host-side stream operation may wait: `std::nullopt` for as long
/// as it takes (the other end going away ends the wait too), zero for not at all.
using StreamTimeout = std::optional<std::chrono::milliseconds>;

namespace detail {
/// One end of a host stream's channel; the two classes below are its faces.
class StreamEnd {
 public:
  StreamEnd() = default;
  explicit StreamEnd(tairitsu_byte_channel *channel) : channel_(channel) {}
  StreamEnd(StreamEnd &&other) noexcept : channel_(std::exchange(other.channel_, nullptr)) {}
  StreamEnd &operator=(StreamEnd &&other) noexcept;
  StreamEnd(const StreamEnd &) = delete;
  StreamEnd &operator=(const StreamEnd &) = delete;
  ~StreamEnd();

  /// Ends this side of the stream, normally (no message) or with a failure.
  void finish(std::optional<std::string_view> failure);
  /// Bytes in the buffer now.
  std::size_t buffered() const;
  /// Whether the guest's end is gone (dropped, or ended by the guest).
  bool peer_gone() const;
  explicit operator bool() const { return channel_ != nullptr; }

 protected:
  tairitsu_byte_channel *channel_ = nullptr;
};
}  // namespace detail

/// The host's end of an input-stream: what it writes, the guest reads.
/// Move-only; destroying it ends the stream (as `close()`).
class StreamWriter : public detail::StreamEnd {
 public:
  using StreamEnd::StreamEnd;
  /// Writes all of `bytes`, waiting for room while the buffer is full.
  /// `InvalidState` when the guest dropped its end or this end was closed;
  /// `LimitExceeded` when `timeout` passed first (the bytes that fit went in:
  /// use `try_write` to know how many).
  Result<void> write(std::span<const std::byte> bytes, StreamTimeout timeout = std::nullopt);
  Result<void> write(std::string_view text, StreamTimeout timeout = std::nullopt) {
    return write(std::as_bytes(std::span(text.data(), text.size())), timeout);
  }
  /// Writes what fits now, without waiting: the number of bytes that went in
  /// (0 when the buffer is full). Errors as `write`.
  Result<std::size_t> try_write(std::span<const std::byte> bytes);
  /// Ends the stream: the guest reads what is buffered, then `closed`.
  void close() { finish(std::nullopt); }
  /// Ends the stream with an error: the guest reads what is buffered, then
  /// `last-operation-failed` with `message`.
  void fail(std::string_view message) { finish(message); }
  /// Whether the guest dropped its end (writes fail from then on).
  bool reader_gone() const { return peer_gone(); }
};

/// The host's end of an output-stream: what the guest writes, it reads.
/// Move-only; destroying it closes the stream (the guest's writes fail).
class StreamReader : public detail::StreamEnd {
 public:
  using StreamEnd::StreamEnd;
  /// Reads up to `out.size()` bytes, waiting until some arrive. 0 at the end
  /// of the stream (the guest dropped its end after writing everything).
  /// `LimitExceeded` when `timeout` passed with nothing to read;
  /// `InvalidState` after `close()`.
  Result<std::size_t> read(std::span<std::byte> out, StreamTimeout timeout = std::nullopt);
  /// Reads what is there now, without waiting (0 bytes: nothing yet, or the
  /// end: tell them apart with `writer_done()`).
  Result<std::size_t> try_read(std::span<std::byte> out);
  /// Reads until the end of the stream. `LimitExceeded` when `timeout`
  /// (for the whole read) passes first.
  Result<std::string> read_to_end(StreamTimeout timeout = std::nullopt);
  /// Closes the stream: the guest's next write fails with `closed`.
  void close() { finish(std::nullopt); }
  /// Closes it with an error: the guest's next write fails with
  /// `last-operation-failed` carrying `message`.
  void fail(std::string_view message) { finish(message); }
  /// Whether the guest's end is gone: once `buffered()` is 0 too, the stream has ended.
  bool writer_done() const { return peer_gone(); }
};

/// A new input-stream and the host's end of it.
struct HostInputStream {
  Own<InputStream> stream;  ///< give this to the guest
  StreamWriter writer;      ///< and feed it here
};

/// A new output-stream and the host's end of it.
struct HostOutputStream {
  Own<OutputStream> stream;  ///< give this to the guest
  StreamReader reader;       ///< and drain it here
};

}  // namespace tairitsu
