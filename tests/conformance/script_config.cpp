#include "conformance/script_config.hpp"

#include <algorithm>
#include <array>
#include <map>

namespace tairitsu::conformance {

namespace {

// The proposals Wasmtime's runner switches; each is off unless a script asks
// for it (crates/test-util/src/wasmtime_wast.rs in Wasmtime 48).
constexpr std::array<std::string_view, 26> kProposals = {"threads",
                                                         "bulk_memory",
                                                         "memory64",
                                                         "custom_page_sizes",
                                                         "multi_memory",
                                                         "gc",
                                                         "function_references",
                                                         "relaxed_simd",
                                                         "reference_types",
                                                         "tail_call",
                                                         "extended_const",
                                                         "wide_arithmetic",
                                                         "branch_hinting",
                                                         "simd",
                                                         "exceptions",
                                                         "stack_switching",
                                                         "component_model_async",
                                                         "component_model_more_async_builtins",
                                                         "component_model_async_stackful",
                                                         "component_model_threading",
                                                         "component_model_error_context",
                                                         "component_model_gc",
                                                         "component_model_map",
                                                         "component_model_memory64",
                                                         "component_model_fixed_length_lists",
                                                         "component_model_implements"};

// Settings of the runner rather than of the engine.
constexpr std::array<std::string_view, 3> kRunnerSettings = {"hogs_memory", "gc_types", "spec_test"};

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// Wasmtime's settings for the specification's scripts (component_test_config
// in crates/test-util/src/wast.rs): by folder, whatever the script says.
std::map<std::string, bool> specification_settings(const std::filesystem::path &path) {
  std::map<std::string, bool> on;
  for (const char *name :
       {"reference_types", "multi_memory", "component_model_implements", "bulk_memory", "component_model_async",
        "component_model_more_async_builtins", "component_model_async_stackful", "component_model_threading"}) {
    on[name] = true;
  }
  if (path.filename() == "memory64.wast") on["component_model_memory64"] = true;
  std::string folder = path.parent_path().filename().string();
  if (folder == "wasm-tools") {
    for (const char *name : {"memory64", "threads", "exceptions", "gc"}) on[name] = true;
  }
  if (folder == "wasmtime") {
    for (const char *name : {"exceptions", "gc"}) on[name] = true;
  }
  return on;
}

// The `;;! name = value` lines at the top of a script.
Result<std::map<std::string, bool>> script_settings(std::string_view source) {
  std::map<std::string, bool> asked;
  std::size_t pos = 0;
  while (pos < source.size()) {
    std::size_t end = source.find('\n', pos);
    std::string_view line = source.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos);
    pos = end == std::string_view::npos ? source.size() : end + 1;
    if (line.rfind(";;!", 0) != 0) break;
    std::string_view setting = trim(line.substr(3));
    std::size_t eq = setting.find('=');
    std::string_view value = eq == std::string_view::npos ? "" : trim(setting.substr(eq + 1));
    if (value != "true" && value != "false") {
      return Error(ErrorCode::InvalidInput, "malformed setting line '" + std::string(line) + "'");
    }
    asked[std::string(trim(setting.substr(0, eq)))] = value == "true";
  }
  return asked;
}

}  // namespace

Result<ScriptConfig> script_config(const std::filesystem::path &path, std::string_view source) {
  bool specification = path.generic_string().find("component-model/test/") != std::string::npos;
  auto settings =
      specification ? Result<std::map<std::string, bool>>(specification_settings(path)) : script_settings(source);
  if (!settings) return std::move(settings).error();
  const std::map<std::string, bool> &asked = *settings;

  ScriptConfig config;
  config.spec_test = specification;
  for (std::string_view proposal : kProposals) {
    config.engine.features[std::string(proposal)] = false;
  }
  for (const auto &[name, on] : asked) {
    bool runner = std::find(kRunnerSettings.begin(), kRunnerSettings.end(), name) != kRunnerSettings.end();
    if (runner) continue;
    if (std::find(kProposals.begin(), kProposals.end(), name) == kProposals.end()) {
      return Error(ErrorCode::InvalidInput, "unknown setting '" + name + "'");
    }
    config.engine.features[name] = on;
  }
  // Proposals that others build on, switched on with them as Wasmtime's runner does.
  auto &f = config.engine.features;
  f["function_references"] = f["function_references"] || f["gc"];
  f["reference_types"] = f["reference_types"] || f["function_references"];
  f["simd"] = f["simd"] || f["relaxed_simd"];
  f["exceptions"] = f["exceptions"] || f["stack_switching"];
  config.engine.component_model_async = f["component_model_async"];
  f.erase("component_model_async");

  return config;
}

}  // namespace tairitsu::conformance
