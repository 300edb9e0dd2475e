// Approach 2: interfaces written as classes (the trait style), for full
// control, and composed: each interface registers its own handlers, and a
// composite registers several at once.

#include <iostream>

#include "tairitsu/tairitsu.hpp"

using namespace tairitsu;

struct Resolve {
  TAIRITSU_WIT_COMMAND("resolve", Outcome<std::string, std::string>);
  std::string host;
};
struct Fetch {
  TAIRITSU_WIT_COMMAND("fetch", Outcome<std::string, std::string>);
  std::string url;
};
struct Record {
  TAIRITSU_WIT_COMMAND("record", uint64_t);
  std::string event;
};

// A handler as a class: keeps its own table and answers one command type.
class Resolver final : public WitCommandHandler<Resolve> {
 public:
  Result<Outcome<std::string, std::string>> execute(const Resolve &c) override {
    if (c.host == "tairitsu.example") return Outcome<std::string, std::string>::ok("192.0.2.7");
    return Outcome<std::string, std::string>::err("unknown host " + c.host);
  }
};

class Network final : public WitInterface {
 public:
  std::string_view interface_name() const override { return "network"; }
  Result<void> register_handlers(WitCommandDispatcher &d) override {
    if (auto r = d.register_handler<Resolve>(std::make_unique<Resolver>(), interface_name()); !r) return r;
    return d.register_handler(simple_handler<Fetch>([](const Fetch &c) {
                                return Outcome<std::string, std::string>::ok("<html>" + c.url + "</html>");
                              }),
                              interface_name());
  }
};

class Telemetry final : public WitInterface {
 public:
  explicit Telemetry(std::shared_ptr<std::vector<std::string>> events) : events_(std::move(events)) {}
  std::string_view interface_name() const override { return "telemetry"; }
  Result<void> register_handlers(WitCommandDispatcher &d) override {
    return d.register_handler(stateful_handler<Record>(events_,
                                                       [](std::vector<std::string> &events, const Record &c) {
                                                         events.push_back(c.event);
                                                         return static_cast<uint64_t>(events.size());
                                                       }),
                              interface_name());
  }

 private:
  std::shared_ptr<std::vector<std::string>> events_;
};

int main() {
  auto events = std::make_shared<std::vector<std::string>>();
  CompositeWitInterface services("services");
  services.add_interface(std::make_unique<Network>()).add_interface(std::make_unique<Telemetry>(events));

  WitCommandDispatcher dispatcher;
  if (auto r = services.register_all(dispatcher); !r) {
    std::cerr << "commands_trait: " << r.error() << "\n";
    return 1;
  }
  std::cout << "interfaces:";
  for (auto name : services.interface_names()) std::cout << " " << name;
  std::cout << "\ncommands:";
  for (const auto &name : dispatcher.command_names()) std::cout << " " << name;
  std::cout << "\n";

  std::cout << "resolve: " << dispatcher.dispatch(Resolve{.host = "tairitsu.example"})->value() << "\n";
  std::cout << "fetch: " << dispatcher.dispatch(Fetch{.url = "/index"})->value() << "\n";
  (void)dispatcher.dispatch(Record{.event = "started"});
  std::cout << "events recorded: " << *dispatcher.dispatch(Record{.event = "fetched"}) << "\n";

  // Composing two interfaces that claim the same command is refused, by name.
  CompositeWitInterface twice("twice");
  twice.add_interface(std::make_unique<Network>()).add_interface(std::make_unique<Network>());
  WitCommandDispatcher other;
  std::cout << "composing twice: " << twice.register_all(other).error().to_string() << "\n";
  return 0;
}
