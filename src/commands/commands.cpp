// The command dispatcher's table, and composite interfaces.

#include "tairitsu/commands.hpp"

namespace tairitsu {

Result<void> WitCommandDispatcher::add(std::string_view name, std::type_index type, std::shared_ptr<void> handler,
                                       std::string_view interface_name) {
  if (auto it = handlers_.find(name); it != handlers_.end()) {
    std::string owner = it->second.interface_name.empty() ? "" : " by interface '" + it->second.interface_name + "'";
    return Error(ErrorCode::AlreadyExists, "command '" + std::string(name) + "' is already handled" + owner);
  }
  handlers_.emplace(std::string(name), Entry{type, std::move(handler), std::string(interface_name)});
  return {};
}

Result<void *> WitCommandDispatcher::find(std::string_view name, std::type_index type) const {
  auto it = handlers_.find(name);
  if (it == handlers_.end()) {
    std::string known;
    for (const auto &[n, entry] : handlers_) known += (known.empty() ? "" : ", ") + n;
    return Error(ErrorCode::NotFound, "no handler for command '" + std::string(name) +
                                          "'; the dispatcher handles: " + (known.empty() ? "nothing" : known));
  }
  if (it->second.type != type) {
    return Error(ErrorCode::TypeMismatch,
                 "command '" + std::string(name) + "' is handled for another command type of the same name");
  }
  return it->second.handler.get();
}

std::vector<std::string> WitCommandDispatcher::command_names() const {
  std::vector<std::string> names;
  for (const auto &[name, entry] : handlers_) names.push_back(name);
  return names;
}

std::vector<std::string_view> CompositeWitInterface::interface_names() const {
  std::vector<std::string_view> names;
  for (const auto &i : interfaces_) names.push_back(i->interface_name());
  return names;
}

Result<void> CompositeWitInterface::register_handlers(WitCommandDispatcher &dispatcher) {
  for (const auto &i : interfaces_) {
    if (auto r = i->register_handlers(dispatcher); !r) {
      return std::move(r).error().with_context("registering interface '" + std::string(i->interface_name()) + "'");
    }
  }
  return {};
}

}  // namespace tairitsu
