// Byte streams between the host and a guest (tairitsu/stream.hpp), on the C
// guests in tests/fixtures/streams.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <future>
#include <mutex>
#include <optional>
#include <thread>

#include "support.hpp"

namespace tairitsu {
namespace {

using testing::fixture_image;
using namespace std::chrono_literals;

using Transform = Outcome<uint64_t, std::string>(Own<InputStream>, Own<OutputStream>, uint8_t);
using ReadAll = Outcome<std::vector<uint8_t>, std::string>(Borrow<InputStream>);
using WriteAll = Outcome<std::monostate, std::string>(Borrow<OutputStream>, std::vector<uint8_t>);

// The echo guest, with the host side of its own streams.
ContainerBuilder echo_builder() {
  return ContainerBuilder(fixture_image("stream_echo.wasm"))
      .define_function("host#greet",
                       [](HostContext &host, std::span<const Value> args) -> Result<Value> {
                         std::string text = "hello, " + args[1].as_string() + "\n";
                         auto written = host.write_stream(args[0], std::as_bytes(std::span(text)));
                         if (!written) return std::move(written).error();
                         return Value::unit();
                       })
      .define_function("host#slurp", [](HostContext &host, std::span<const Value> args) -> Result<Value> {
        std::vector<Value> bytes;
        std::byte chunk[7];  // small, to take several reads
        for (;;) {
          auto n = host.read_stream(args[0], chunk);
          if (!n) return std::move(n).error();
          if (*n == 0) break;
          for (std::size_t i = 0; i < *n; ++i) bytes.push_back(Value::u8(static_cast<uint8_t>(chunk[i])));
        }
        return Value::list(std::move(bytes));
      });
}

// A fresh echo guest with its `read-all` export, and an input-stream of it.
struct Echo {
  Container container;
  TypedFunc<ReadAll> read_all;
  HostInputStream in;

  static std::optional<Echo> make(ContainerBuilder builder = echo_builder()) {
    auto container = builder.build();
    if (!container) return failed(container.error());
    auto read_all = container->func<ReadAll>("read-all");
    if (!read_all) return failed(read_all.error());
    auto in = container->input_stream();
    if (!in) return failed(in.error());
    return Echo{std::move(*container), std::move(*read_all), std::move(*in)};
  }
  static std::nullopt_t failed(const Error &e) {
    ADD_FAILURE() << e;
    return std::nullopt;
  }
};

uint8_t pattern(uint64_t i) { return static_cast<uint8_t>(i * 131 + (i >> 8) + (i >> 19)); }

TEST(Streams, SixtyFourMebibytesGoThroughTheGuestBothWaysAtOnce) {
  auto container = echo_builder().build();
  ASSERT_OK(container);
  auto transform = container->func<Transform>("transform");
  ASSERT_OK(transform);
  auto in = container->input_stream();
  ASSERT_OK(in);
  auto out = container->output_stream();
  ASSERT_OK(out);

#if defined(__SANITIZE_THREAD__)
  constexpr uint64_t total = uint64_t{4} << 20;  // ThreadSanitizer copies at a few MB/s
#else
  constexpr uint64_t total = uint64_t{64} << 20;
#endif
  constexpr uint8_t key = 0x5a;
  std::thread feeder([&writer = in->writer] {
    std::vector<std::byte> chunk(48 * 1024 + 13);  // not a divisor of the buffer
    for (uint64_t sent = 0; sent < total;) {
      std::size_t n = static_cast<std::size_t>(std::min<uint64_t>(chunk.size(), total - sent));
      for (std::size_t i = 0; i < n; ++i) chunk[i] = std::byte{pattern(sent + i)};
      auto written = writer.write(std::span(chunk).first(n));
      if (!written) {
        ADD_FAILURE() << written.error();
        return;
      }
      sent += n;
    }
    writer.close();
  });
  uint64_t received = 0;
  uint64_t wrong = 0;
  bool ended = false;
  std::thread drainer([&reader = out->reader, &received, &wrong, &ended] {
    std::vector<std::byte> chunk(40 * 1024);
    for (;;) {
      auto n = reader.read(chunk);
      if (!n) {
        ADD_FAILURE() << n.error();
        return;
      }
      if (*n == 0) {
        ended = true;
        return;
      }
      for (std::size_t i = 0; i < *n; ++i) {
        wrong += static_cast<uint8_t>(chunk[i]) != (pattern(received + i) ^ key);
      }
      received += *n;
    }
  });
  auto copied = (*transform)(std::move(in->stream), std::move(out->stream), key);
  feeder.join();
  drainer.join();
  ASSERT_OK(copied);
  ASSERT_TRUE(copied->is_ok()) << copied->error();
  EXPECT_EQ(copied->value(), total);
  EXPECT_EQ(received, total);
  EXPECT_EQ(wrong, 0u);
  EXPECT_TRUE(ended) << "the guest dropped its output-stream: the host reads the end";
}

TEST(Streams, TheGuestReadsWhatIsBufferedThenTheEndOrTheHostsFailure) {
  auto echo = Echo::make();
  ASSERT_TRUE(echo);
  auto &[container, read_all, in] = *echo;
  ASSERT_OK(in.writer.write("abc"));
  in.writer.close();
  auto all = read_all(in.stream.borrow());
  ASSERT_OK(all);
  ASSERT_TRUE(all->is_ok()) << all->error();
  EXPECT_EQ(all->value(), (std::vector<uint8_t>{'a', 'b', 'c'}));

  auto failing = container.input_stream();
  ASSERT_OK(failing);
  ASSERT_OK(failing->writer.write("partial"));
  failing->writer.fail("the disk is on fire");
  all = read_all(failing->stream.borrow());
  ASSERT_OK(all);
  ASSERT_FALSE(all->is_ok());
  EXPECT_NE(all->error().find("blocking-read"), std::string::npos) << all->error();
  EXPECT_NE(all->error().find("the disk is on fire"), std::string::npos) << all->error();
  // Writing after the end is refused, naming why.
  auto late = failing->writer.write("more");
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.error().code(), ErrorCode::InvalidState);
  EXPECT_NE(late.error().message().find("host already ended"), std::string::npos) << late.error();
}

TEST(Streams, AGuestThatWaitsIsWokenByTheHostWithoutSpinning) {
  auto echo = Echo::make();
  ASSERT_TRUE(echo);
  auto &[container, read_all, in] = *echo;
  std::thread feeder([&writer = in.writer] {
    for (int i = 0; i < 4; ++i) {
      std::this_thread::sleep_for(20ms);
      ASSERT_OK(writer.write("tick"));
    }
    writer.close();
  });
  {  // a first call, so that first-use work is not counted below
    auto warm = container.input_stream();
    ASSERT_OK(warm);
    warm->writer.close();
    ASSERT_OK(read_all(warm->stream.borrow()));
  }
  double cpu_before = testing::thread_cpu_seconds();
  auto started = std::chrono::steady_clock::now();
  auto all = read_all(in.stream.borrow());
  auto waited = std::chrono::steady_clock::now() - started;
  double cpu_seconds = testing::thread_cpu_seconds() - cpu_before;
  feeder.join();
  ASSERT_OK(all);
  ASSERT_TRUE(all->is_ok()) << all->error();
  EXPECT_EQ(std::string(all->value().begin(), all->value().end()), "ticktickticktick");
  EXPECT_GE(waited, 75ms);
  // A busy wait would burn the whole wait on this thread; a real one, a
  // small part of it (a fraction, so that sanitizer builds measure alike).
  double wall_seconds = std::chrono::duration<double>(waited).count();
  EXPECT_LT(cpu_seconds, 0.5 * wall_seconds)
      << "the waiting guest used " << cpu_seconds << " s of CPU in " << wall_seconds << " s";
}

TEST(Streams, AFullBufferMakesTheHostWaitOrSaysHowMuchFit) {
  auto container = echo_builder().build();
  ASSERT_OK(container);
  auto in = container->input_stream(16);
  ASSERT_OK(in);
  std::string data(100, 'x');
  auto fit = in->writer.try_write(std::as_bytes(std::span(data)));
  ASSERT_OK(fit);
  EXPECT_EQ(*fit, 16u);
  EXPECT_EQ(in->writer.buffered(), 16u);
  fit = in->writer.try_write(std::as_bytes(std::span(data)));
  ASSERT_OK(fit);
  EXPECT_EQ(*fit, 0u);
  auto waited = in->writer.write("more", 30ms);
  ASSERT_FALSE(waited.ok());
  EXPECT_EQ(waited.error().code(), ErrorCode::LimitExceeded);
  EXPECT_NE(waited.error().message().find("30 ms"), std::string::npos) << waited.error();

  // The guest drains the buffer; what the host wrote arrives in order, whole.
  auto read_all = container->func<ReadAll>("read-all");
  ASSERT_OK(read_all);
  std::thread closer([&writer = in->writer] {
    std::this_thread::sleep_for(20ms);
    writer.close();
  });
  auto all = (*read_all)(in->stream.borrow());
  closer.join();
  ASSERT_OK(all);
  ASSERT_TRUE(all->is_ok()) << all->error();
  EXPECT_EQ(all->value().size(), 16u);
}

TEST(Streams, TheGuestsWritesReachTheHostAndAClosedReaderFailsThem) {
  auto container = echo_builder().build();
  ASSERT_OK(container);
  auto write_all = container->func<WriteAll>("write-all");
  ASSERT_OK(write_all);
  auto out = container->output_stream(1024);
  ASSERT_OK(out);
  std::vector<uint8_t> data(10'000);
  for (std::size_t i = 0; i < data.size(); ++i) data[i] = pattern(i);
  std::string got;
  std::thread drainer([&] {
    auto all = out->reader.read_to_end(5s);
    got = all ? *all : "failed: " + all.error().message();
  });
  auto written = (*write_all)(out->stream.borrow(), data);
  ASSERT_OK(written);
  ASSERT_TRUE(written->is_ok()) << written->error();
  ASSERT_OK(out->stream.drop());  // the end of the stream for the reader
  drainer.join();
  EXPECT_EQ(got.size(), data.size());
  EXPECT_TRUE(got == std::string(data.begin(), data.end())) << "the bytes differ";

  auto closed = container->output_stream();
  ASSERT_OK(closed);
  closed->reader.fail("nobody listens");
  written = (*write_all)(closed->stream.borrow(), data);
  ASSERT_OK(written);
  ASSERT_FALSE(written->is_ok());
  EXPECT_NE(written->error().find("nobody listens"), std::string::npos) << written->error();

  auto dropped = container->output_stream();
  ASSERT_OK(dropped);
  dropped->reader = StreamReader();  // the host lets go of its end
  written = (*write_all)(dropped->stream.borrow(), data);
  ASSERT_OK(written);
  ASSERT_FALSE(written->is_ok());
  EXPECT_EQ(written->error(), "blocking-write-and-flush: closed");
}

TEST(Streams, TheHostSeesTheGuestLetGo) {
  auto container = echo_builder().build();
  ASSERT_OK(container);
  auto in = container->input_stream();
  ASSERT_OK(in);
  EXPECT_FALSE(in->writer.reader_gone());
  ASSERT_OK(in->stream.drop());
  EXPECT_TRUE(in->writer.reader_gone());
  auto late = in->writer.write("anyone?");
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.error().code(), ErrorCode::InvalidState);
  EXPECT_NE(late.error().message().find("the guest closed the stream"), std::string::npos) << late.error();

  // A container that goes away lets go of every stream: a waiting host wakes.
  auto out = container->output_stream();
  ASSERT_OK(out);
  std::thread waiting([&reader = out->reader] {
    auto all = reader.read_to_end(5s);
    EXPECT_TRUE(all.ok()) << all.error();
  });
  std::this_thread::sleep_for(10ms);
  std::optional<Container> owner(std::move(*container));
  owner.reset();  // the store goes, and every stream in it
  waiting.join();
}

TEST(Streams, AHostFunctionWritesAndReadsTheGuestsOwnStreams) {
  auto container = echo_builder().stdout_mode(StdioMode::Capture).stdin_bytes("from stdin, in pieces").build();
  ASSERT_OK(container);
  ASSERT_OK(container->call("greet-on-stdout", {Value::string("streams")}));
  EXPECT_EQ(container->stdout_text(), "hello, streams\n");
  auto slurped = container->call("slurp-stdin");
  ASSERT_OK(slurped);
  std::string text;
  for (const Value &b : slurped->as_list().items) text += static_cast<char>(b.as_u8());
  EXPECT_EQ(text, "from stdin, in pieces");
}

TEST(Streams, AStreamIsAnOrdinaryResourceValue) {
  auto container = echo_builder().build();
  ASSERT_OK(container);
  auto in = container->input_stream();
  ASSERT_OK(in);
  Value handle = Value::resource(in->stream.release());
  EXPECT_EQ(handle.kind(), TypeKind::Own);
  ASSERT_OK(in->writer.write("through a Value"));
  in->writer.close();
  auto all = container->call("read-all", {handle});
  ASSERT_OK(all);
  EXPECT_TRUE(all->as_result().is_ok);
  ASSERT_OK(handle.as_resource().drop());
}

TEST(Streams, AGuestWaitingOnAStreamLeavesTheExecutorThreadToOtherCalls) {
  auto reader = echo_builder().suspendable().build();
  ASSERT_OK(reader);
  auto other = ContainerBuilder(fixture_image("waiter.wasm")).trap_unknown_imports().build();
  ASSERT_OK(other);
  Executor one_thread = Executor::create(1);
  auto in = reader->input_stream();
  ASSERT_OK(in);
  auto reading = reader->call_async("read-all", {Value::resource(in->stream.handle())}, one_thread);
  // The only thread is free while the guest waits for bytes: another call runs.
  auto incremented = other->call_async("increment", {Value::u32(1)}, one_thread);
  ASSERT_EQ(incremented.wait_for(5s), std::future_status::ready);
  ASSERT_OK(incremented.get());
  EXPECT_EQ(reading.wait_for(10ms), std::future_status::timeout);
  ASSERT_OK(in->writer.write("late bytes"));
  in->writer.close();
  auto all = reading.get();
  ASSERT_OK(all);
  ASSERT_TRUE(all->as_result().is_ok);
  std::string text;
  for (const Value &b : all->as_result().payload.at(0).as_list().items) text += static_cast<char>(b.as_u8());
  EXPECT_EQ(text, "late bytes");
}

TEST(Streams, AWaitOnAStreamEndsAtTheCallsDeadline) {
  for (bool suspendable : {false, true}) {
    auto container = echo_builder().suspendable(suspendable).limits({.timeout = 50ms}).build();
    ASSERT_OK(container);
    auto in = container->input_stream();
    ASSERT_OK(in);
    auto started = std::chrono::steady_clock::now();
    auto all = container->call("read-all", {Value::resource(in->stream.handle())});
    auto took = std::chrono::steady_clock::now() - started;
    ASSERT_FALSE(all.ok()) << "suspendable " << suspendable;
    EXPECT_EQ(all.error().code(), ErrorCode::LimitExceeded) << all.error();
    EXPECT_LT(took, 2s);
  }
}

TEST(Streams, StoppingAContainerWhileAStreamIsHalfReadCancelsCleanly) {
  auto reader = echo_builder().suspendable().build();
  ASSERT_OK(reader);
  auto in = reader->input_stream();
  ASSERT_OK(in);
  auto reading = reader->call_async("read-all", {Value::resource(in->stream.handle())});
  ASSERT_OK(in->writer.write("the first half"));
  for (int i = 0; i < 200 && in->writer.buffered() > 0; ++i) std::this_thread::sleep_for(1ms);
  EXPECT_EQ(in->writer.buffered(), 0u) << "the guest read the first half";
  reader->stop();
  auto r = reading.get();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), ErrorCode::InvalidState) << r.error();
  // The store went with the stop: the host's end sees the guest's end gone.
  EXPECT_TRUE(in->writer.reader_gone());
  EXPECT_FALSE(in->writer.write("the second half").ok());
  ASSERT_OK(reader->restart());
}

TEST(Streams, TrapStubsLeaveAResourceAnInterfaceUsesFromWasiToWasi) {
  // The guest's `host` interface uses wasi:io's stream types: they are the
  // same resources, which WASI serves; only the functions get trap stubs.
  auto container = ContainerBuilder(fixture_image("stream_echo.wasm")).trap_unknown_imports().build();
  ASSERT_OK(container);
  bool listed = false;
  for (const WorldItem &item : container->image().imports()) {
    if (item.name == "host#output-stream") {
      listed = true;
      // (wit-component merged the guest's wasi:io 0.2.6 with its adapter's newer 0.2.x)
      EXPECT_TRUE(item.same_as.starts_with("wasi:io/streams@0.2.") && item.same_as.ends_with("#output-stream"))
          << item.same_as;
    }
  }
  EXPECT_TRUE(listed);
  auto in = container->input_stream();
  ASSERT_OK(in);
  in->writer.close();
  auto all = container->call("read-all", {Value::resource(in->stream.handle())});
  ASSERT_OK(all);
  auto greeted = container->call("greet-on-stdout", {Value::string("nobody")});
  ASSERT_FALSE(greeted.ok());
  EXPECT_NE(greeted.error().message().find("unknown import 'host#greet'"), std::string::npos) << greeted.error();
}

}  // namespace
}  // namespace tairitsu
