// The store's index file: read strictly, written in one form.

#include "registry/store_index.hpp"

#include <nlohmann/json.hpp>

namespace tairitsu::detail {

namespace fs = std::filesystem;

namespace {

constexpr int kIndexVersion = 1;

// Why the index cannot be trusted, and how to recover: every command that
// needs the index refuses to go on, so that nothing (prune above all) acts on
// a misread store.
Error damaged_index(const fs::path &path, const std::string &why) {
  return Error(ErrorCode::Io, "the store index '" + path.string() + "' is damaged: " + why +
                                  "; nothing was changed. To recover, restore it from a backup, or "
                                  "move it aside and load the images again (their blobs stay in '" +
                                  (path.parent_path() / "blobs" / "sha256").string() + "')");
}

bool is_sha256_digest(const std::string &digest) {
  return digest.size() == 71 && digest.rfind("sha256:", 0) == 0 &&
         digest.find_first_not_of("0123456789abcdef", 7) == std::string::npos;
}

}  // namespace

// The index as it must be: {"version": 1, "images": [{"ref", "digest", "kind",
// "size", "created"}, ...]}, every field of its type, every reference valid.
Result<StoreIndex> parse_store_index(const fs::path &path, std::span<const std::byte> bytes) {
  auto json = nlohmann::json::parse(reinterpret_cast<const char *>(bytes.data()),
                                    reinterpret_cast<const char *>(bytes.data() + bytes.size()), nullptr, false);
  if (json.is_discarded()) return damaged_index(path, "it is not JSON");
  if (!json.is_object()) return damaged_index(path, "it is not a JSON object");
  auto version = json.find("version");
  if (version == json.end() || !version->is_number_unsigned()) {
    return damaged_index(path, "it has no \"version\" number");
  }
  if (*version != kIndexVersion) {
    return Error(ErrorCode::Io, "the store index '" + path.string() + "' has version " + version->dump() +
                                    ", which this Tairitsu does not know (it reads version " +
                                    std::to_string(kIndexVersion) + "); use the Tairitsu that wrote it");
  }
  auto images = json.find("images");
  if (images == json.end() || !images->is_array()) {
    return damaged_index(path, "\"images\" is not a list");
  }
  StoreIndex index;
  for (std::size_t i = 0; i < images->size(); ++i) {
    const auto &item = (*images)[i];
    std::string where = "images[" + std::to_string(i) + "]";
    if (!item.is_object()) return damaged_index(path, where + " is not an object");
    for (const char *field : {"ref", "digest", "kind"}) {
      if (!item.contains(field) || !item[field].is_string()) {
        return damaged_index(path, where + "." + field + " is not a string");
      }
    }
    if (!item.contains("size") || !item["size"].is_number_unsigned()) {
      return damaged_index(path, where + ".size is not a size");
    }
    if (!item.contains("created") || !item["created"].is_number_integer()) {
      return damaged_index(path, where + ".created is not a time");
    }
    auto ref = ImageRef::parse(item["ref"].get<std::string>());
    if (!ref) return damaged_index(path, where + ".ref: " + ref.error().message());
    std::string digest = item["digest"].get<std::string>();
    if (!is_sha256_digest(digest)) {
      return damaged_index(path, where + ".digest is not \"sha256:\" and 64 lowercase hex digits");
    }
    StoredImage entry{*ref, std::move(digest), item["kind"].get<std::string>(), item["size"].get<uint64_t>(),
                      item["created"].get<int64_t>()};
    if (!index.emplace(ref->to_string(), std::move(entry)).second) {
      return damaged_index(path, where + " names '" + ref->to_string() + "' a second time");
    }
  }
  return index;
}

std::string store_index_json(const StoreIndex &index) {
  nlohmann::json images = nlohmann::json::array();
  for (const auto &[name, e] : index) {
    images.push_back({{"ref", name}, {"digest", e.digest}, {"kind", e.kind}, {"size", e.size}, {"created", e.created}});
  }
  nlohmann::json doc = {{"version", kIndexVersion}, {"images", images}};
  return doc.dump(2) + "\n";
}

}  // namespace tairitsu::detail
