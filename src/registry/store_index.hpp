#pragma once

// The store's index (`index.json`): every reference and the image it names.

#include <cstddef>
#include <filesystem>
#include <map>
#include <span>
#include <string>

#include "tairitsu/image_store.hpp"

namespace tairitsu::detail {

/// References ("name:tag") to their entries.
using StoreIndex = std::map<std::string, StoredImage>;

/// Reads an index file's bytes. Anything but the exact shape and version this
/// build writes fails with `Io`, naming the first wrong field (for example
/// "images[3].digest") and saying how to recover; nothing is guessed, so no
/// command acts on a misread store.
Result<StoreIndex> parse_store_index(const std::filesystem::path &path, std::span<const std::byte> bytes);

/// The index file's text.
std::string store_index_json(const StoreIndex &index);

}  // namespace tairitsu::detail
