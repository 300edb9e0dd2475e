// The rules of WIT names: items of interfaces, version compatibility, and
// which interfaces the WASI preview 2 linker defines.

#include "wit/names.hpp"

#include <cstdint>
#include <optional>

namespace tairitsu::detail {

namespace {

// The interfaces that Wasmtime's WASI preview 2 linker defines.
constexpr std::string_view kWasiP2Interfaces[] = {
    "wasi:io/error",
    "wasi:io/poll",
    "wasi:io/streams",
    "wasi:clocks/wall-clock",
    "wasi:clocks/monotonic-clock",
    "wasi:filesystem/types",
    "wasi:filesystem/preopens",
    "wasi:random/random",
    "wasi:random/insecure",
    "wasi:random/insecure-seed",
    "wasi:cli/exit",
    "wasi:cli/environment",
    "wasi:cli/stdin",
    "wasi:cli/stdout",
    "wasi:cli/stderr",
    "wasi:cli/terminal-input",
    "wasi:cli/terminal-output",
    "wasi:cli/terminal-stdin",
    "wasi:cli/terminal-stdout",
    "wasi:cli/terminal-stderr",
    "wasi:sockets/tcp",
    "wasi:sockets/udp",
    "wasi:sockets/udp-create-socket",
    "wasi:sockets/tcp-create-socket",
    "wasi:sockets/instance-network",
    "wasi:sockets/network",
    "wasi:sockets/ip-name-lookup",
};

}  // namespace

std::pair<std::string, std::string> split_item_name(std::string_view full_name) {
  std::size_t hash = full_name.rfind('#');
  if (hash == std::string_view::npos) {
    return {std::string(), std::string(full_name)};
  }
  return {std::string(full_name.substr(0, hash)), std::string(full_name.substr(hash + 1))};
}

namespace {

struct Version {
  uint64_t major = 0, minor = 0, patch = 0;
  bool pre = false;  // a pre-release or build suffix: matched exactly only
};

std::optional<Version> parse_version(std::string_view text) {
  Version v;
  uint64_t *parts[] = {&v.major, &v.minor, &v.patch};
  std::size_t i = 0;
  for (int p = 0; p < 3; ++p) {
    if (i >= text.size() || text[i] < '0' || text[i] > '9') {
      return std::nullopt;
    }
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
      *parts[p] = *parts[p] * 10 + static_cast<uint64_t>(text[i++] - '0');
    }
    if (p < 2) {
      if (i >= text.size() || text[i] != '.') {
        return std::nullopt;
      }
      ++i;
    }
  }
  v.pre = i < text.size();
  return v;
}

}  // namespace

bool serves(std::string_view defined_interface, std::string_view defined_item, std::string_view imported_interface,
            std::string_view imported_item) {
  if (defined_item != imported_item) {
    return false;
  }
  return imported_interface.empty() ? defined_interface.empty()
                                    : interface_satisfies(defined_interface, imported_interface);
}

bool interface_satisfies(std::string_view defined, std::string_view imported) {
  if (defined == imported) {
    return true;
  }
  std::size_t da = defined.find('@');
  std::size_t ia = imported.find('@');
  if (da == std::string_view::npos || ia == std::string_view::npos || defined.substr(0, da) != imported.substr(0, ia)) {
    return false;
  }
  auto dv = parse_version(defined.substr(da + 1));
  auto iv = parse_version(imported.substr(ia + 1));
  if (!dv || !iv || dv->pre || iv->pre) {
    return false;
  }
  // Compatible as Cargo and Wasmtime define it: same major (or same minor when
  // major is 0, same patch when both are 0).
  if (dv->major != iv->major) {
    return false;
  }
  if (dv->major == 0 && dv->minor != iv->minor) {
    return false;
  }
  if (dv->major == 0 && dv->minor == 0 && dv->patch != iv->patch) {
    return false;
  }
  return true;
}

bool is_wasi_p2_interface(std::string_view name) {
  std::size_t at = name.find('@');
  std::string_view base = name.substr(0, at);
  if (at != std::string_view::npos && name.substr(at + 1).rfind("0.2.", 0) != 0) {
    return false;
  }
  for (std::string_view known : kWasiP2Interfaces) {
    if (base == known) {
      return true;
    }
  }
  return false;
}

}  // namespace tairitsu::detail
