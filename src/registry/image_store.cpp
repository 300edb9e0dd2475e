#include "tairitsu/image_store.hpp"

#include "base/files.hpp"
#include "registry/store_index.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <thread>

namespace tairitsu {

namespace fs = std::filesystem;
using detail::read_file;
using detail::sha256_hex;

namespace {

constexpr const char *kIndex = "index.json";
constexpr const char *kTempPrefix = ".tmp-";

Error io_error(const std::string &what, const fs::path &path) {
  return Error(ErrorCode::Io, what + " '" + path.string() + "': " + std::strerror(errno));
}

std::string hex_of(std::string_view digest) { return std::string(digest.substr(digest.find(':') + 1)); }

// Writes `bytes` to `path` so that a reader sees the old file or the whole new
// one, never part of it: a temporary file in the same directory, synced, renamed,
// and the directory synced.
Result<void> write_atomically(const fs::path &path, std::span<const std::byte> bytes) {
  static thread_local std::mt19937_64 rng(std::random_device{}() ^ static_cast<uint64_t>(::getpid()));
  fs::path temp =
      path.parent_path() / (std::string(kTempPrefix) + path.filename().string() + "-" + std::to_string(rng()));
  int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) {
    return io_error("cannot create", temp);
  }
  std::size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      Error e = io_error("cannot write", temp);
      ::close(fd);
      ::unlink(temp.c_str());
      return e;
    }
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    Error e = io_error("cannot sync", temp);
    ::unlink(temp.c_str());
    return e;
  }
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    Error e = io_error("cannot rename into", path);
    ::unlink(temp.c_str());
    return e;
  }
  int dir = ::open(path.parent_path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
  return {};
}

// Whether only this user could have written `path` (or it does not exist
// yet): owned by this user, not writable by group or others. Artifacts hold
// machine code, so one anybody else could have written is never loaded.
bool written_only_by_this_user(const fs::path &path) {
  struct stat st{};
  if (::stat(path.c_str(), &st) != 0) return errno == ENOENT;
  return st.st_uid == ::geteuid() && (st.st_mode & (S_IWGRP | S_IWOTH)) == 0;
}

Result<void> write_text(const fs::path &path, const std::string &text) {
  return write_atomically(path, std::as_bytes(std::span(text.data(), text.size())));
}

// An exclusive lock on the store, held by writers for the whole of an update.
// The holder writes its process id into the lock file, so that a writer kept
// waiting can say whom it waits for.
class StoreLock {
 public:
  static Result<StoreLock> take(const fs::path &root, const StoreOptions &options) {
    fs::path path = root / "lock";
    int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) {
      return io_error("cannot open the lock", path);
    }
    auto started = std::chrono::steady_clock::now();
    bool told = false;
    while (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
      if (errno != EWOULDBLOCK && errno != EINTR) {
        Error e = io_error("cannot lock", path);
        ::close(fd);
        return e;
      }
      auto waited = std::chrono::steady_clock::now() - started;
      if (!told && waited >= std::chrono::seconds(1) && options.on_lock_wait) {
        options.on_lock_wait("waiting for the store lock '" + path.string() + "'" + holder(fd));
        told = true;
      }
      if (options.lock_timeout && waited >= *options.lock_timeout) {
        std::string who = holder(fd);
        ::close(fd);
        return Error(ErrorCode::Io, "the store lock '" + path.string() + "'" + who + " was not released within " +
                                        std::to_string(options.lock_timeout->count()) + " ms");
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    std::string pid = std::to_string(::getpid()) + "\n";
    if (::ftruncate(fd, 0) == 0) {
      [[maybe_unused]] ssize_t n = ::pwrite(fd, pid.data(), pid.size(), 0);
    }
    return StoreLock(fd);
  }
  /// The lock, when nobody holds it; nothing (and no waiting) otherwise.
  static std::optional<StoreLock> try_take(const fs::path &root) {
    int fd = ::open((root / "lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) return std::nullopt;
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
      ::close(fd);
      return std::nullopt;
    }
    return StoreLock(fd);
  }
  StoreLock(StoreLock &&other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  StoreLock &operator=(StoreLock &&) = delete;
  ~StoreLock() {
    if (fd_ >= 0) {
      ::flock(fd_, LOCK_UN);
      ::close(fd_);
    }
  }

 private:
  explicit StoreLock(int fd) : fd_(fd) {}
  // " (held by process N)" from the lock file, or nothing when it names none.
  static std::string holder(int fd) {
    char buf[32] = {};
    ssize_t n = ::pread(fd, buf, sizeof buf - 1, 0);
    std::string text(buf, n > 0 ? static_cast<std::size_t>(n) : 0);
    while (!text.empty() && text.back() == '\n') text.pop_back();
    if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos) return "";
    return " (held by process " + text + ")";
  }
  int fd_;
};

using Index = detail::StoreIndex;

Result<Index> read_index(const fs::path &root) {
  fs::path path = root / kIndex;
  std::error_code ec;
  if (!fs::exists(path, ec)) {
    return Index{};
  }
  auto bytes = read_file(path);
  if (!bytes) {
    return std::move(bytes).error();
  }
  return detail::parse_store_index(path, *bytes);
}

Result<void> write_index(const fs::path &root, const Index &index) {
  return write_text(root / kIndex, detail::store_index_json(index));
}

Error not_found(std::string_view ref, const Index &index) {
  std::string known;
  for (const auto &[name, e] : index) {
    known += (known.empty() ? "" : ", ") + name;
  }
  return Error(ErrorCode::NotFound, "no image '" + std::string(ref) +
                                        "' in the store (it has: " + (known.empty() ? "nothing" : known) + ")");
}

Result<StoredImage> lookup(const fs::path &root, std::string_view ref) {
  auto parsed = ImageRef::parse(ref);
  if (!parsed) {
    return std::move(parsed).error();
  }
  auto index = read_index(root);
  if (!index) {
    return std::move(index).error();
  }
  auto it = index->find(parsed->to_string());
  if (it == index->end()) {
    return not_found(parsed->to_string(), *index);
  }
  return it->second;
}

// The image of a stored artifact whose recorded checksum still matches; nothing otherwise.
std::optional<Image> load_artifact(const fs::path &art, const Engine &engine, const std::string &digest) {
  auto bytes = read_file(art);
  auto sum = read_file(art.string() + ".sha256");
  if (!bytes || !sum || sum->empty()) return std::nullopt;
  if (std::string(reinterpret_cast<const char *>(sum->data()), sum->size()) != sha256_hex(*bytes)) {
    return std::nullopt;
  }
  auto image = Image::from_precompiled(*bytes, engine, digest);
  return image ? std::optional<Image>(*image) : std::nullopt;
}

// Writes a precompiled artifact and the checksum `load` verifies before trusting it.
Result<void> write_artifact(const fs::path &path, std::span<const std::byte> artifact) {
  if (auto r = write_atomically(path, artifact); !r) {
    return r;
  }
  return write_text(path.string() + ".sha256", sha256_hex(artifact));
}

// One update of the index: under the store's lock, read it, let `change` edit
// it (and write what the new entries need first), write it back.
template <typename Change>
Result<void> change_index(const fs::path &root, const StoreOptions &options, Change &&change) {
  auto lock = StoreLock::take(root, options);
  if (!lock) {
    return std::move(lock).error();
  }
  auto index = read_index(root);
  if (!index) {
    return std::move(index).error();
  }
  if (auto r = change(*index); !r) {
    return r;
  }
  return write_index(root, *index);
}

}  // namespace

fs::path ImageStore::default_root() {
  if (const char *home = std::getenv("TAIRITSU_HOME"); home && *home) {
    return home;
  }
  if (const char *data = std::getenv("XDG_DATA_HOME"); data && *data) {
    return fs::path(data) / "tairitsu";
  }
  const char *user = std::getenv("HOME");
  return fs::path(user ? user : ".") / ".local" / "share" / "tairitsu";
}

Result<ImageStore> ImageStore::open(fs::path root, StoreOptions options) {
  std::error_code ec;
  for (const fs::path &dir : {root, root / "blobs" / "sha256", root / "artifacts"}) {
    fs::create_directories(dir, ec);
    if (ec) {
      return Error(ErrorCode::Io, "cannot create the store directory '" + dir.string() + "': " + ec.message());
    }
  }
  return ImageStore(std::move(root), std::move(options));
}

fs::path ImageStore::blob_path(std::string_view digest) const { return root_ / "blobs" / "sha256" / hex_of(digest); }

fs::path ImageStore::artifact_path(std::string_view digest, const Engine &engine) const {
  return root_ / "artifacts" / (hex_of(digest) + "-" + engine.config().fingerprint() + ".cwasm");
}

Result<StoredImage> ImageStore::add(std::span<const std::byte> bytes, std::string_view ref, const Engine &engine) {
  auto parsed = ImageRef::parse(ref);
  if (!parsed) {
    return std::move(parsed).error();
  }
  // Compile first, outside the lock: it validates the bytes and gives the
  // artifact that later runs start from.
  auto image = Image::load(bytes, engine);
  if (!image) {
    return std::move(image).error().with_context("adding '" + parsed->to_string() + "'");
  }
  if (image->source() == ImageSource::Precompiled) {
    return Error(ErrorCode::InvalidInput,
                 "adding '" + parsed->to_string() + "': the store keeps components, not precompiled artifacts");
  }
  auto artifact = image->precompile();
  if (!artifact) {
    return std::move(artifact).error();
  }
  StoredImage entry{
      *parsed, image->digest(), std::string(to_string(image->source())), image->component_bytes().size(),
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count()};

  auto stored = change_index(root_, options_, [&](Index &index) -> Result<void> {
    // Blob and artifact first, then the index that names them.
    std::error_code ec;
    fs::path blob = blob_path(entry.digest);
    if (!fs::exists(blob, ec)) {
      if (auto r = write_atomically(blob, image->component_bytes()); !r) {
        return r;
      }
    }
    if (auto r = write_artifact(artifact_path(entry.digest, engine), *artifact); !r) {
      return r;
    }
    index[parsed->to_string()] = entry;
    return {};
  });
  if (!stored) {
    return std::move(stored).error();
  }
  return entry;
}

Result<std::vector<StoredImage>> ImageStore::list() const {
  auto index = read_index(root_);
  if (!index) {
    return std::move(index).error();
  }
  std::vector<StoredImage> out;
  for (const auto &[name, e] : *index) {
    out.push_back(e);
  }
  return out;
}

Result<StoredImage> ImageStore::find(std::string_view ref) const { return lookup(root_, ref); }

Result<Image> ImageStore::load(std::string_view ref, const Engine &engine) const {
  auto entry = lookup(root_, ref);
  if (!entry) {
    return std::move(entry).error();
  }
  // The artifact, when its recorded checksum still matches and nobody but
  // this user could have written it: it holds machine code.
  fs::path art = artifact_path(entry->digest, engine);
  bool dir_trusted = written_only_by_this_user(art.parent_path());
  bool trusted = dir_trusted && written_only_by_this_user(art) && written_only_by_this_user(art.string() + ".sha256");
  if (auto image = trusted ? load_artifact(art, engine, entry->digest) : std::nullopt) {
    return *image;
  }
  fs::path blob = blob_path(entry->digest);
  auto bytes = read_file(blob);
  if (!bytes) {
    return Error(ErrorCode::Io, "image '" + entry->ref.to_string() + "': its blob '" + blob.string() + "' is missing");
  }
  if ("sha256:" + sha256_hex(*bytes) != entry->digest) {
    return Error(ErrorCode::Io, "image '" + entry->ref.to_string() + "': its blob '" + blob.string() +
                                    "' is damaged (its bytes do not match " + entry->digest + ")");
  }
  auto image = Image::from_component(*bytes, engine);
  if (image) {
    // Repair the artifact, unless another process is writing or the store is
    // read-only: either way this load has its image already.
    if (auto lock = dir_trusted ? StoreLock::try_take(root_) : std::nullopt) {
      if (auto artifact = image->precompile()) {
        (void)write_artifact(art, *artifact);
      }
    }
  }
  return image;
}

Result<fs::path> ImageStore::precompile(std::string_view ref, const Engine &engine) {
  auto image = load(ref, engine);
  if (!image) {
    return std::move(image).error();
  }
  fs::path art = artifact_path(image->digest(), engine);
  auto artifact = image->precompile();
  if (!artifact) {
    return std::move(artifact).error();
  }
  auto lock = StoreLock::take(root_, options_);
  if (!lock) {
    return std::move(lock).error();
  }
  if (auto r = write_artifact(art, *artifact); !r) {
    return std::move(r).error();
  }
  return art;
}

Result<StoredImage> ImageStore::tag(std::string_view source, std::string_view target) {
  auto from = ImageRef::parse(source);
  if (!from) {
    return std::move(from).error();
  }
  auto to = ImageRef::parse(target);
  if (!to) {
    return std::move(to).error();
  }
  StoredImage copy;
  auto tagged = change_index(root_, options_, [&](Index &index) -> Result<void> {
    auto it = index.find(from->to_string());
    if (it == index.end()) {
      return not_found(from->to_string(), index);
    }
    copy = it->second;
    copy.ref = *to;
    index[to->to_string()] = copy;
    return {};
  });
  if (!tagged) {
    return std::move(tagged).error();
  }
  return copy;
}

Result<void> ImageStore::remove(std::string_view ref) {
  auto parsed = ImageRef::parse(ref);
  if (!parsed) {
    return std::move(parsed).error();
  }
  return change_index(root_, options_, [&](Index &index) -> Result<void> {
    if (index.erase(parsed->to_string()) == 0) {
      return not_found(parsed->to_string(), index);
    }
    return {};
  });
}

Result<PruneReport> ImageStore::prune() {
  auto lock = StoreLock::take(root_, options_);
  if (!lock) {
    return std::move(lock).error();
  }
  auto index = read_index(root_);
  if (!index) {
    return std::move(index).error();
  }
  std::error_code missing;
  if (!fs::exists(root_ / kIndex, missing) && !fs::is_empty(root_ / "blobs" / "sha256", missing) && !missing) {
    return Error(ErrorCode::Io, "the store '" + root_.string() +
                                    "' has blobs but no index, so every blob would look unused; nothing "
                                    "was deleted. Restore '" +
                                    (root_ / kIndex).string() + "', or delete the store directory to start over");
  }
  std::set<std::string> referenced;
  for (const auto &[name, e] : *index) {
    referenced.insert(hex_of(e.digest));
  }
  PruneReport report;
  std::error_code ec;
  // Under the lock no write is in flight, so every temporary file is a leftover.
  for (const fs::path &dir : {root_, root_ / "blobs" / "sha256", root_ / "artifacts"}) {
    for (const auto &f : fs::directory_iterator(dir, ec)) {
      std::string name = f.path().filename().string();
      if (name.rfind(kTempPrefix, 0) == 0) {
        fs::remove(f.path(), ec);
        ++report.temporary_files;
      } else if (dir.filename() == "sha256" && !referenced.count(name)) {
        fs::remove(f.path(), ec);
        report.blobs.push_back("sha256:" + name);
      } else if (dir.filename() == "artifacts" && !referenced.count(name.substr(0, name.find('-')))) {
        fs::remove(f.path(), ec);
        report.artifacts.push_back(name);
      }
    }
  }
  return report;
}

}  // namespace tairitsu
