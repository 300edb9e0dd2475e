// Approach 1, the recommended start: an interface declared by its commands.
// Each command is a plain struct that names itself and its response type with
// one line; WitInterfaceOf groups them and insists on a handler for each.
// Everything is checked by the compiler and nothing is serialized.

#include <iostream>
#include <map>

#include "tairitsu/tairitsu.hpp"

using namespace tairitsu;

struct Read {
  TAIRITSU_WIT_COMMAND("read", Outcome<std::string, std::string>);
  std::string path;
};
struct Write {
  TAIRITSU_WIT_COMMAND("write", Outcome<std::monostate, std::string>);
  std::string path;
  std::string data;
};
struct List {
  TAIRITSU_WIT_COMMAND("list", std::vector<std::string>);
};

// Not part of the interface below: nobody handles it.
struct Delete {
  TAIRITSU_WIT_COMMAND("delete", Outcome<std::monostate, std::string>);
  std::string path;
};

using Filesystem = WitInterfaceOf<"filesystem", Read, Write, List>;
using Files = std::map<std::string, std::string>;

int main() {
  auto files = std::make_shared<Files>();
  Filesystem fs;
  fs.on<Read>(files,
              [](Files &f, const Read &c) {
                auto it = f.find(c.path);
                if (it == f.end()) return Outcome<std::string, std::string>::err("no such file: " + c.path);
                return Outcome<std::string, std::string>::ok(it->second);
              })
      .on<Write>(files,
                 [](Files &f, const Write &c) {
                   if (c.path.empty()) return Outcome<std::monostate, std::string>::err("empty path");
                   f[c.path] = c.data;
                   return Outcome<std::monostate, std::string>::ok({});
                 })
      .on<List>(files, [](Files &f, const List &) {
        std::vector<std::string> names;
        for (const auto &[name, data] : f) names.push_back(name);
        return names;
      });

  WitCommandDispatcher dispatcher;
  if (auto r = fs.register_handlers(dispatcher); !r) {
    std::cerr << "commands_macro: " << r.error() << "\n";
    return 1;
  }

  (void)dispatcher.dispatch(Write{.path = "notes.txt", .data = "conflict and harmony"});
  auto read = dispatcher.dispatch(Read{.path = "notes.txt"});
  std::cout << "read notes.txt: " << read->value() << "\n";
  auto missing = dispatcher.dispatch(Read{.path = "nope.txt"});
  std::cout << "read nope.txt: error " << missing->error() << "\n";
  auto listed = dispatcher.dispatch(List{});
  for (const std::string &name : *listed) std::cout << "listed " << name << "\n";

  // A command the dispatcher does not know is an error that lists what it knows.
  auto unknown = dispatcher.dispatch(Delete{.path = "notes.txt"});
  std::cout << "delete: " << unknown.error().message() << "\n";
  return 0;
}
