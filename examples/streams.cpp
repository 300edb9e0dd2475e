// Serves the product description's `wetware:streams` interfaces to a guest:
// a `connection` whose streams carry bytes between the host and the guest,
// apart from stdio (tests/fixtures/streams/wit/deps/wetware/streams.wit).
//
// The guest (tests/fixtures/streams/wetware.c) opens a connection, reads its
// input to the end and writes it back upper-cased. Its call runs on a thread
// of its own while this host feeds the input and reads the output.
//
//     streams wetware_streams.wasm

#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <thread>
#include <vector>

#include "tairitsu/tairitsu.hpp"

using namespace tairitsu;

namespace {

// One connection: the guest's ends until it takes them, the host's ends.
struct Connection {
  std::optional<Own<InputStream>> input;
  std::optional<Own<OutputStream>> output;
  StreamWriter to_guest;
  StreamReader from_guest;
};

// The host's connections, by number; the guest's threads add to it.
class Connections {
 public:
  uint32_t add(HostInputStream in, HostOutputStream out) {
    std::lock_guard lock(mutex_);
    all_.push_back(
        Connection{std::move(in.stream), std::move(out.stream), std::move(in.writer), std::move(out.reader)});
    added_.notify_all();
    return static_cast<uint32_t>(all_.size() - 1);
  }
  template <typename F>
  auto with(uint32_t number, F &&f) {
    std::lock_guard lock(mutex_);
    return f(all_.at(number));
  }
  // Waits for connection `number` and takes the host's ends of it.
  std::pair<StreamWriter, StreamReader> take_host_ends(uint32_t number) {
    std::unique_lock lock(mutex_);
    added_.wait(lock, [&] { return all_.size() > number; });
    return {std::move(all_[number].to_guest), std::move(all_[number].from_guest)};
  }

 private:
  std::mutex mutex_;
  std::condition_variable added_;
  std::vector<Connection> all_;
};

constexpr const char *kConnections = "wetware:streams/connections";
constexpr const char *kStreams = "wetware:streams/streams";

std::string name(const char *interface, const char *item) { return std::string(interface) + "#" + item; }

// Both forms of `create-connection`: new streams, and a connection resource
// whose representation is the connection's number.
HostFunction create_connection(Connections &connections, const char *interface) {
  return [&connections, interface](HostContext &host, std::span<const Value>) -> Result<Value> {
    auto in = host.input_stream();
    if (!in) return std::move(in).error();
    auto out = host.output_stream();
    if (!out) return std::move(out).error();
    uint32_t number = connections.add(std::move(*in), std::move(*out));
    return host.new_resource(name(interface, "connection"), number);
  };
}

// `connection.input` / `connection.output`: hands a stream over, once.
template <typename Stream>
HostFunction hand_over(Connections &connections, std::optional<Own<Stream>> Connection::*member) {
  return [&connections, member](HostContext &host, std::span<const Value> args) -> Result<Value> {
    auto number = host.resource_rep(args[0]);
    if (!number) return std::move(number).error();
    return connections.with(*number, [&](Connection &c) -> Result<Value> {
      if (!(c.*member)) return Error(ErrorCode::InvalidState, "the connection's stream was already taken");
      Own<Stream> stream = std::move(*(c.*member));
      (c.*member).reset();
      return Value::resource(stream.release());
    });
  };
}

// The description's form: numbers the host gives out for the two streams
// (2n for connection n's input, 2n + 1 for its output).
HostFunction stream_number(uint32_t which) {
  return [which](HostContext &host, std::span<const Value> args) -> Result<Value> {
    auto number = host.resource_rep(args[0]);
    if (!number) return std::move(number).error();
    return Value::u32(*number * 2 + which);
  };
}

}  // namespace

int main(int argc, char **argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s wetware_streams.wasm\n", argv[0]);
    return 2;
  }
  auto image = Image::from_file(argv[1]);
  if (!image) {
    std::fprintf(stderr, "%s\n", image.error().to_string().c_str());
    return 1;
  }
  Connections connections;
  auto container =
      ContainerBuilder(*image)
          .define_resource(name(kConnections, "connection"))
          .define_function(name(kConnections, "create-connection"), create_connection(connections, kConnections))
          .define_function(name(kConnections, "[method]connection.input"), hand_over(connections, &Connection::input))
          .define_function(name(kConnections, "[method]connection.output"), hand_over(connections, &Connection::output))
          .define_resource(name(kStreams, "connection"))
          .define_function(name(kStreams, "create-connection"), create_connection(connections, kStreams))
          .define_function(name(kStreams, "[method]connection.get-input-stream-handle"), stream_number(0))
          .define_function(name(kStreams, "[method]connection.get-output-stream-handle"), stream_number(1))
          .build();
  if (!container) {
    std::fprintf(stderr, "%s\n", container.error().to_string().c_str());
    return 1;
  }

  // The guest's call blocks on its input stream: run it on a thread of its own.
  Result<Value> shouted = Value::unit();
  std::thread guest([&] { shouted = container->call("shout"); });
  auto [to_guest, from_guest] = connections.take_host_ends(0);
  for (const char *line : {"hello from the host\n", "streams carry bytes both ways\n"}) {
    if (auto written = to_guest.write(std::string_view(line)); !written) {
      std::fprintf(stderr, "%s\n", written.error().to_string().c_str());
    }
  }
  to_guest.close();
  auto echoed = from_guest.read_to_end(std::chrono::seconds(10));
  guest.join();
  if (!shouted || !echoed) {
    std::fprintf(stderr, "%s\n", (!shouted ? shouted.error() : echoed.error()).to_string().c_str());
    return 1;
  }
  std::printf("the guest shouted back (%s):\n%s", shouted->to_string().c_str(), echoed->c_str());

  auto handles = container->call("handles");
  if (!handles) {
    std::fprintf(stderr, "%s\n", handles.error().to_string().c_str());
    return 1;
  }
  std::printf("the description's form gives numbers: %s\n", handles->to_string().c_str());
  return 0;
}
