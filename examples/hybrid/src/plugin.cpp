#include "plugin.hpp"

namespace hybrid_plugin {

Reply Plugin::init() {
  if (initialized_) return Reply::failure("already initialized");
  initialized_ = true;
  host_.log("info", "plugin ready");
  return Reply::success();
}

Reply Plugin::handle_command(std::string_view command, std::string_view payload) {
  if (!initialized_) return Reply::failure("not initialized");
  host_.log("debug", "handling '" + std::string(command) + "' with payload '" + std::string(payload) + "'");
  if (command == "greet") return greet(payload);
  if (command == "echo") return Reply::success(std::string(payload));
  return Reply::failure("unknown command '" + std::string(command) + "'");
}

Reply Plugin::greet(std::string_view payload) {
  Reply answer = host_.execute("format-greeting", payload);
  if (!answer.ok) return Reply::failure("greet failed: " + answer.text);
  return Reply::success("guest: " + answer.text);
}

}  // namespace hybrid_plugin
