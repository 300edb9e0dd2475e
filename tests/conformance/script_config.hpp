#pragma once

// A script's settings: the engine it asks for, configured as Wasmtime's own
// script runner configures it.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "tairitsu/engine.hpp"

namespace tairitsu::conformance {

struct ScriptConfig {
  EngineConfig engine;
  /// A script of the specification's suite: Wasmtime's runner does not compare
  /// the messages of refused components (assert_invalid, assert_malformed,
  /// assert_unlinkable) with the specification's reference wording.
  bool spec_test = false;
};

/// The settings of the script at `path` with text `source`. Scripts of the
/// specification's suite (a path through "component-model/test/") get the
/// settings Wasmtime infers for them from their folder; the others' come from
/// their `;;! name = true|false` lines. An unknown name or a malformed line is
/// an error naming it.
Result<ScriptConfig> script_config(const std::filesystem::path &path, std::string_view source);

}  // namespace tairitsu::conformance
