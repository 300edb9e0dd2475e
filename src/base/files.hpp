#pragma once

// Small file and digest helpers shared by images, the store and the CLI.

#include <cstddef>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "tairitsu/error.hpp"

namespace tairitsu::detail {

/// The whole file, read to its end (pipes and FIFOs too; a FIFO with no
/// writer reads as empty). `NotFound` when it does not exist, `InvalidInput`
/// for a directory, `Io` when it cannot be read; every message names the path.
Result<std::vector<std::byte>> read_file(const std::filesystem::path &path);

/// Lowercase hex sha256 of `bytes`.
std::string sha256_hex(std::span<const std::byte> bytes);

}  // namespace tairitsu::detail
