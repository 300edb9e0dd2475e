#include "cli/common.hpp"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <iostream>

#include "base/files.hpp"
#include "cli/arguments.hpp"

namespace tairitsu::cli {

namespace {

namespace fs = std::filesystem;

int exit_code_for(const Error &e) {
  switch (e.code()) {
    case ErrorCode::InvalidInput:
    case ErrorCode::TypeMismatch:
    case ErrorCode::AlreadyExists: return InvalidInput;
    case ErrorCode::NotFound: return NotFound;
    case ErrorCode::LinkError:
    case ErrorCode::Unsupported: return Unavailable;
    case ErrorCode::Trap:
    case ErrorCode::InvalidState: return Trap;
    case ErrorCode::LimitExceeded: return Limit;
    case ErrorCode::Io: return IoError;
    case ErrorCode::Internal: return Internal;
  }
  return Internal;
}

}  // namespace

int report(const Error &e) {
  std::cerr << "tairitsu: " << printable(e.to_string()) << "\n";
  return exit_code_for(e);
}

int usage(std::string_view command, const Error &e) {
  std::cerr << "tairitsu " << command << ": " << printable(e.message()) << "\n";
  return Usage;
}

Result<StoreFlags> read_store_flags(const std::string &lock_timeout) {
  StoreFlags flags;
  if (!lock_timeout.empty()) {
    auto timeout = parse_duration("--lock-timeout", lock_timeout);
    if (!timeout) return std::move(timeout).error();
    flags.lock_timeout = *timeout;
  }
  return flags;
}

Result<ImageStore> open_store(const StoreFlags &flags) {
  StoreOptions options;
  options.lock_timeout = flags.lock_timeout;
  options.on_lock_wait = [](const std::string &message) {
    std::cerr << "tairitsu: " << message << "; still waiting (--lock-timeout sets a limit)\n";
  };
  return ImageStore::open(ImageStore::default_root(), std::move(options));
}

namespace {

bool looks_like_path(std::string_view target) {
  auto ends_with = [&](std::string_view s) {
    return target.size() >= s.size() && target.substr(target.size() - s.size()) == s;
  };
  return target.find('/') != std::string_view::npos || ends_with(".wasm") || ends_with(".wat") || ends_with(".cwasm");
}

Result<Target> load_file(const std::string &path, bool allow_precompiled, const Engine &engine) {
  auto bytes = detail::read_file(path);
  if (!bytes) return std::move(bytes).error();
  Progress progress("compiling " + path);
  static constexpr std::string_view elf =
      "\x7f"
      "ELF";
  bool precompiled =
      bytes->size() >= 4 && std::equal(elf.begin(), elf.end(), reinterpret_cast<const char *>(bytes->data()));
  auto image = precompiled && allow_precompiled ? Image::from_precompiled(*bytes, engine) : Image::load(*bytes, engine);
  if (!image) return std::move(image).error().with_context("'" + path + "'");
  return Target{*image, std::nullopt, path};
}

}  // namespace

// An image reference found in the store comes first, so that a file of the
// same name cannot stand in for it; then a file. A target that is no valid
// reference can only be a file.
Result<Target> resolve(const std::string &target, const StoreFlags &flags, bool allow_precompiled,
                       const Engine &engine) {
  std::error_code ec;
  bool is_file = fs::is_regular_file(target, ec) || fs::is_fifo(target, ec) || fs::is_character_file(target, ec);
  if (ImageRef::parse(target) && fs::exists(ImageStore::default_root() / "index.json", ec)) {
    auto store = open_store(flags);
    if (!store) return std::move(store).error();
    auto entry = store->find(target);
    if (entry) {
      Progress progress("loading " + target);
      auto image = store->load(target, engine);
      if (!image) return std::move(image).error();
      return Target{*image, *entry, ""};
    }
    if (entry.error().code() != ErrorCode::NotFound) return std::move(entry).error();
    if (!is_file && !looks_like_path(target)) return std::move(entry).error();
  }
  if (!is_file && !looks_like_path(target)) {
    if (auto ref = ImageRef::parse(target); !ref) return std::move(ref).error();
    return Error(ErrorCode::NotFound, "no image '" + target + "' in the store and no such file");
  }
  return load_file(target, allow_precompiled, engine);
}

void add_allow_precompiled(CLI::App *command, bool &allow) {
  command->add_flag("--allow-precompiled", allow,
                    "accept a precompiled artifact file: native code that runs outside the sandbox, so only "
                    "one you made yourself");
}

}  // namespace tairitsu::cli
