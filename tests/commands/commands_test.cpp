// Native command dispatch: typed commands, handlers, dispatcher, interfaces.

#include "support.hpp"

namespace tairitsu {
namespace {

struct Read {
  TAIRITSU_WIT_COMMAND("read", Outcome<std::string, std::string>);
  std::string path;
};
struct Write {
  TAIRITSU_WIT_COMMAND("write", Outcome<std::monostate, std::string>);
  std::string path;
  std::string data;
};
struct Count {
  TAIRITSU_WIT_COMMAND("count", uint32_t);
};
struct Ping {
  TAIRITSU_WIT_COMMAND("ping", std::string);
};

using Filesystem = WitInterfaceOf<"filesystem", Read, Write>;

TEST(Commands, SimpleHandlersAnswerTypedCommands) {
  WitCommandDispatcher d;
  ASSERT_TRUE(d.register_handler(simple_handler<Read>(
      [](const Read &r) { return Outcome<std::string, std::string>::ok("contents of " + r.path); })));
  auto answer = d.dispatch(Read{.path = "a.txt"});
  ASSERT_TRUE(answer) << answer.error();
  EXPECT_EQ(answer->value(), "contents of a.txt");
  EXPECT_TRUE(d.contains("read"));
  EXPECT_EQ(d.command_names(), std::vector<std::string>{"read"});
}

TEST(Commands, StatefulHandlersShareTheirState) {
  WitCommandDispatcher d;
  auto calls = std::make_shared<uint32_t>(0);
  ASSERT_TRUE(d.register_handler(stateful_handler<Count>(calls, [](uint32_t &n, const Count &) { return ++n; })));
  EXPECT_EQ(*d.dispatch(Count{}), 1u);
  EXPECT_EQ(*d.dispatch(Count{}), 2u);
  EXPECT_EQ(*calls, 2u);
}

TEST(Commands, UnknownCommandsAndHandlerFailuresAreClearErrors) {
  WitCommandDispatcher d;
  auto none = d.dispatch(Ping{});
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code(), ErrorCode::NotFound);
  EXPECT_EQ(none.error().message(), "no handler for command 'ping'; the dispatcher handles: nothing");

  ASSERT_TRUE(d.register_handler(simple_handler<Ping>(
      [](const Ping &) -> Result<std::string> { return Error(ErrorCode::InvalidState, "the link is down"); })));
  ASSERT_TRUE(d.register_handler(
      simple_handler<Count>([](const Count &) -> uint32_t { throw std::runtime_error("counter overflow"); })));
  auto failed = d.dispatch(Ping{});
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().code(), ErrorCode::InvalidState);
  EXPECT_NE(failed.error().to_string().find("command 'ping'"), std::string::npos) << failed.error();
  auto threw = d.dispatch(Count{});
  ASSERT_FALSE(threw);
  EXPECT_NE(threw.error().message().find("the handler threw: counter overflow"), std::string::npos) << threw.error();

  auto missing = d.dispatch(Read{.path = "x"});
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().message(), "no handler for command 'read'; the dispatcher handles: count, ping");
}

TEST(Commands, InterfacesDeclareTheirCommandsAndRequireEveryHandler) {
  Filesystem incomplete;
  incomplete.on<Read>([](const Read &) { return Outcome<std::string, std::string>::ok("x"); });
  WitCommandDispatcher d;
  auto r = incomplete.register_handlers(d);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message(), "command 'write' of interface 'filesystem' has no handler");

  auto files = std::make_shared<std::map<std::string, std::string>>();
  Filesystem fs;
  fs.on<Read>(files, [](auto &f, const Read &c) {
      auto it = f.find(c.path);
      return it == f.end() ? Outcome<std::string, std::string>::err("no such file: " + c.path)
                           : Outcome<std::string, std::string>::ok(it->second);
    }).on<Write>(files, [](auto &f, const Write &c) {
    f[c.path] = c.data;
    return Outcome<std::monostate, std::string>::ok({});
  });
  WitCommandDispatcher dispatcher;
  ASSERT_TRUE(fs.register_handlers(dispatcher));
  ASSERT_TRUE(dispatcher.dispatch(Write{.path = "a", .data = "hello"}));
  EXPECT_EQ(dispatcher.dispatch(Read{.path = "a"})->value(), "hello");
  EXPECT_EQ(dispatcher.dispatch(Read{.path = "b"})->error(), "no such file: b");

  // A command held in the interface's variant goes to its handler; the
  // response is the alternative of the same index.
  Filesystem::Command command = Read{.path = "a"};
  auto answer = dispatcher.dispatch(command);
  ASSERT_TRUE(answer) << answer.error();
  EXPECT_EQ(std::get<0>(*answer).value(), "hello");
}

// The trait style: an interface written by hand.
class Network final : public WitInterface {
 public:
  std::string_view interface_name() const override { return "network"; }
  Result<void> register_handlers(WitCommandDispatcher &d) override {
    return d.register_handler(simple_handler<Ping>([](const Ping &) { return std::string("pong"); }), "network");
  }
};

class Diagnostics final : public WitInterface {
 public:
  std::string_view interface_name() const override { return "diagnostics"; }
  Result<void> register_handlers(WitCommandDispatcher &d) override {
    return d.register_handler(simple_handler<Ping>([](const Ping &) { return std::string("also pong"); }),
                              "diagnostics");
  }
};

TEST(Commands, CompositeInterfacesRegisterAllAndNameConflicts) {
  CompositeWitInterface all;
  Filesystem fs;
  fs.on<Read>([](const Read &) { return Outcome<std::string, std::string>::ok(""); }).on<Write>([](const Write &) {
    return Outcome<std::monostate, std::string>::ok({});
  });
  all.add_interface(std::make_unique<Filesystem>(std::move(fs))).add_interface(std::make_unique<Network>());
  EXPECT_EQ(all.interface_names(), (std::vector<std::string_view>{"filesystem", "network"}));
  WitCommandDispatcher d;
  ASSERT_TRUE(all.register_all(d));
  EXPECT_EQ(d.command_names(), (std::vector<std::string>{"ping", "read", "write"}));
  EXPECT_EQ(*d.dispatch(Ping{}), "pong");

  CompositeWitInterface clash;
  clash.add_interface(std::make_unique<Network>()).add_interface(std::make_unique<Diagnostics>());
  WitCommandDispatcher d2;
  auto r = clash.register_all(d2);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::AlreadyExists);
  EXPECT_NE(r.error().to_string().find("command 'ping' is already handled by interface 'network'"), std::string::npos)
      << r.error();
  EXPECT_NE(r.error().to_string().find("registering interface 'diagnostics'"), std::string::npos) << r.error();
}

}  // namespace
}  // namespace tairitsu
