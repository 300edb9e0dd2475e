#pragma once

/// The persistent image store: images that outlive the process.
///
/// A store is a directory (`$TAIRITSU_HOME`, by default the user's data
/// directory) holding content-addressed blobs (`blobs/sha256/<hex>`),
/// precompiled artifacts keyed by digest and engine configuration
/// (`artifacts/<hex>-<fingerprint>.cwasm`) and an index of references
/// (`index.json`). Writers take a file lock; every file is written to a
/// temporary name, synced and renamed, blobs before the index that names
/// them, so a crash at any point leaves a store that reads correctly and two
/// processes never lose each other's writes.
///
///     auto store = ImageStore::open(ImageStore::default_root());
///     store->add(bytes, "calc:1.0");
///     auto image = store->load("calc:1.0");

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "tairitsu/engine.hpp"
#include "tairitsu/error.hpp"
#include "tairitsu/image.hpp"
#include "tairitsu/image_ref.hpp"

namespace tairitsu {

/// One reference in the store.
struct StoredImage {
  ImageRef ref;
  std::string digest;   ///< "sha256:<hex>" of the component bytes
  std::string kind;     ///< "component", "core module (command)", "core module (reactor)"
  uint64_t size = 0;    ///< bytes of the component
  int64_t created = 0;  ///< seconds since the Unix epoch

  friend bool operator==(const StoredImage &, const StoredImage &) = default;
};

/// What `prune` removed.
struct PruneReport {
  std::vector<std::string> blobs;      ///< digests no reference named
  std::vector<std::string> artifacts;  ///< artifact files whose blob is gone
  std::size_t temporary_files = 0;     ///< leftovers of interrupted writes
};

/// How a store handle behaves when another process holds the store's lock.
struct StoreOptions {
  /// How long a writer waits for the lock before failing with `Io` (which
  /// names the process that holds it); forever when absent.
  std::optional<std::chrono::milliseconds> lock_timeout = {};
  /// Called once when a writer has waited a second for the lock, with a
  /// message naming the lock and its holder (the CLI prints it).
  std::function<void(const std::string &)> on_lock_wait = {};
};

/// A handle to a store directory. Cheap to copy. Safe to use from several
/// threads and processes at once.
class ImageStore {
 public:
  /// `$TAIRITSU_HOME`, else `$XDG_DATA_HOME/tairitsu`, else `~/.local/share/tairitsu`.
  static std::filesystem::path default_root();
  /// Opens (creating if needed) the store at `root`. `Io` if it cannot be created.
  static Result<ImageStore> open(std::filesystem::path root, StoreOptions options = {});

  const std::filesystem::path &root() const { return root_; }

  /// Stores a component, or a wasip1 core module wrapped into one with the
  /// preview1 adapter, under `ref` (replacing what the reference named). The
  /// bytes are validated by compiling them with `engine` first.
  Result<StoredImage> add(std::span<const std::byte> bytes, std::string_view ref,
                          const Engine &engine = Engine::shared());
  /// Every reference, sorted.
  Result<std::vector<StoredImage>> list() const;
  /// The reference; `NotFound` lists what exists.
  Result<StoredImage> find(std::string_view ref) const;
  /// The image under `ref`: from its precompiled artifact when the artifact's
  /// recorded checksum matches and it suits the engine's configuration, else
  /// compiled from its blob, after which the artifact is written anew (when
  /// the store is writable and not locked), so a damaged or missing artifact
  /// is repaired once rather than bypassed on every load. The store trusts
  /// only artifacts it wrote itself. A blob that is missing or whose bytes do
  /// not match its digest is reported as `Io`.
  Result<Image> load(std::string_view ref, const Engine &engine = Engine::shared()) const;
  /// Compiles the image for `engine` and keeps the artifact; returns its path.
  Result<std::filesystem::path> precompile(std::string_view ref, const Engine &engine = Engine::shared());
  /// Makes `target` name the image `source` names.
  Result<StoredImage> tag(std::string_view source, std::string_view target);
  /// Forgets a reference (its blob stays until `prune`).
  Result<void> remove(std::string_view ref);
  /// Deletes blobs no reference names, their artifacts, and temporary files.
  Result<PruneReport> prune();

  /// Where the blob of `digest` lives.
  std::filesystem::path blob_path(std::string_view digest) const;
  /// Where the artifact of `digest` for `engine` lives.
  std::filesystem::path artifact_path(std::string_view digest, const Engine &engine) const;

 private:
  ImageStore(std::filesystem::path root, StoreOptions options) : root_(std::move(root)), options_(std::move(options)) {}
  std::filesystem::path root_;
  StoreOptions options_;
};

}  // namespace tairitsu
