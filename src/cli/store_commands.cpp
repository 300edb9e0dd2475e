// The subcommands that manage images: load, images, inspect, check, tag,
// rmi, prune and compile.

#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "base/files.hpp"
#include "cli/subcommands.hpp"

namespace tairitsu::cli {

namespace {

namespace fs = std::filesystem;

std::string human_size(uint64_t bytes) {
  char buf[32];
  if (bytes < 1024)
    std::snprintf(buf, sizeof buf, "%lluB", static_cast<unsigned long long>(bytes));
  else if (bytes < (1u << 20))
    std::snprintf(buf, sizeof buf, "%.1fKB", bytes / 1024.0);
  else
    std::snprintf(buf, sizeof buf, "%.1fMB", bytes / 1048576.0);
  return buf;
}

std::string iso_time(int64_t seconds) {
  std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  if (!gmtime_r(&t, &tm)) return "?";
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

nlohmann::json item_json(const WorldItem &item) {
  nlohmann::json j = {{"name", item.name}, {"signature", item.signature()}};
  switch (item.kind) {
    case WorldItem::Kind::Function: j["kind"] = "function"; break;
    case WorldItem::Kind::Interface: j["kind"] = "interface"; break;
    case WorldItem::Kind::Resource: j["kind"] = "resource"; break;
    case WorldItem::Kind::Module: j["kind"] = "module"; break;
    case WorldItem::Kind::Component: j["kind"] = "component"; break;
  }
  return j;
}

std::string item_line(const WorldItem &item) {
  return (item.interface_name.empty() ? "" : item.interface_name + "#") + item.signature();
}

Result<void> write_output(const std::string &path, std::span<const std::byte> bytes) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f.write(reinterpret_cast<const char *>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  f.close();
  if (!f) return Error(ErrorCode::Io, "'" + path + "' cannot be written");
  return {};
}

}  // namespace

// --- load ---

void add_load(CLI::App &app, LoadOptions &o) {
  auto *c = app.add_subcommand("load", "Store a component or wasip1 core module as an image; prints its digest");
  c->add_option("FILE", o.file, "the .wasm file")->required();
  c->add_option("NAME", o.ref, "name[:tag] (default: the file's name, tag latest)");
  c->footer("Example: tairitsu load build/calc.wasm calc:1.0");
}

int load_command(const LoadOptions &o, const StoreFlags &flags) {
  auto bytes = detail::read_file(o.file);
  if (!bytes) return report(bytes.error());
  std::string ref = o.ref.empty() ? fs::path(o.file).stem().string() : o.ref;
  auto store = open_store(flags);
  if (!store) return report(store.error());
  auto stored = [&] {
    Progress progress("compiling " + o.file);
    return store->add(*bytes, ref);
  }();
  if (!stored) return report(std::move(stored).error().with_context("'" + o.file + "'"));
  std::cout << stored->digest << "\n";
  return Ok;
}

// --- images ---

void add_images(CLI::App &app, ImagesOptions &o) {
  auto *c = app.add_subcommand("images", "List the stored images");
  c->add_flag("--json", o.json, "print JSON");
  c->footer("Examples:\n  tairitsu images\n  tairitsu images --json");
}

int images_command(const ImagesOptions &o, const StoreFlags &flags) {
  auto store = open_store(flags);
  if (!store) return report(store.error());
  auto list = store->list();
  if (!list) return report(list.error());
  if (o.json) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto &e : *list) {
      out.push_back({{"name", e.ref.name},
                     {"tag", e.ref.tag},
                     {"digest", e.digest},
                     {"kind", e.kind},
                     {"size", e.size},
                     {"created", iso_time(e.created)}});
    }
    std::cout << out.dump(2) << "\n";
    return Ok;
  }
  std::printf("%-30s %-14s %-24s %10s  %s\n", "REFERENCE", "DIGEST", "KIND", "SIZE", "CREATED");
  for (const auto &e : *list) {
    std::printf("%-30s %-14s %-24s %10s  %s\n", e.ref.to_string().c_str(), e.digest.substr(7, 12).c_str(),
                e.kind.c_str(), human_size(e.size).c_str(), iso_time(e.created).c_str());
  }
  return Ok;
}

// --- inspect ---

void add_inspect(CLI::App &app, InspectOptions &o) {
  auto *c = app.add_subcommand("inspect", "Show an image's digest, size, world and artifacts");
  c->add_option("IMAGE", o.target, "name[:tag] or a file")->required();
  c->add_flag("--json", o.json, "print JSON");
  add_allow_precompiled(c, o.allow_precompiled);
  c->footer("Examples:\n  tairitsu inspect calc:1.0 --json\n  tairitsu inspect build/calc.wasm");
}

int inspect_command(const InspectOptions &o, const StoreFlags &flags) {
  auto target = resolve(o.target, flags, o.allow_precompiled);
  if (!target) return report(target.error());
  const Image &image = target->image;
  std::vector<std::string> artifacts;
  if (target->stored) {
    auto store = open_store(flags);
    if (!store) return report(store.error());
    std::error_code ec;
    std::string hex = target->stored->digest.substr(7);
    for (const auto &f : fs::directory_iterator(store->root() / "artifacts", ec)) {
      std::string name = f.path().filename().string();
      if (name.rfind(hex, 0) == 0 && f.path().extension() == ".cwasm") artifacts.push_back(f.path().string());
    }
  }
  std::string reference = target->stored ? target->stored->ref.to_string() : target->path;
  std::string kind = target->stored ? target->stored->kind : std::string(to_string(image.source()));
  uint64_t size = target->stored ? target->stored->size : image.size();
  if (o.json) {
    nlohmann::json j = {{"reference", reference}, {"digest", image.digest()}, {"kind", kind}, {"size", size}};
    if (target->stored) {
      j["created"] = iso_time(target->stored->created);
      j["artifacts"] = artifacts;
    }
    j["imports"] = nlohmann::json::array();
    j["exports"] = nlohmann::json::array();
    for (const auto &i : image.imports()) j["imports"].push_back(item_json(i));
    for (const auto &i : image.exports()) j["exports"].push_back(item_json(i));
    std::cout << j.dump(2) << "\n";
    return Ok;
  }
  std::cout << (target->stored ? "reference: " : "file:      ") << reference << "\ndigest:    " << image.digest()
            << "\nkind:      " << kind << "\nsize:      " << size << " bytes\n";
  if (target->stored) std::cout << "created:   " << iso_time(target->stored->created) << "\n";
  std::cout << "imports:\n";
  for (const auto &i : image.imports()) std::cout << "  " << item_line(i) << "\n";
  std::cout << "exports:\n";
  for (const auto &i : image.exports()) std::cout << "  " << item_line(i) << "\n";
  if (target->stored) {
    std::cout << "artifacts:\n";
    for (const auto &a : artifacts) std::cout << "  " << a << "\n";
  }
  return Ok;
}

// --- check ---

void add_check(CLI::App &app, CheckOptions &o) {
  auto *c = app.add_subcommand("check", "Check an image or file against a WIT world (exit 65 if it does not conform)");
  c->add_option("IMAGE", o.target, "name[:tag] or a .wasm file")->required();
  c->add_option("--wit", o.wit, "a .wit file or a directory of them (with deps/)")->required();
  c->add_option("--world", o.world, "the world (default: the package's only world)");
  c->add_flag("--no-wasi", o.no_wasi, "do not count WASI 0.2 interfaces as provided");
  add_allow_precompiled(c, o.allow_precompiled);
  c->footer("Example: tairitsu check plugin:1.0 --wit wit/ --world plugin");
}

int check_command(const CheckOptions &o, const StoreFlags &flags) {
  auto world = WitWorld::load(o.wit, o.world);
  if (!world) return report(world.error());
  auto target = resolve(o.target, flags, o.allow_precompiled);
  if (!target) return report(target.error());
  WorldCheck result = tairitsu::check_world(target->image, *world, {.wasi_provided = !o.no_wasi});
  std::cout << o.target << " " << result.to_string() << "\n";
  return result.conforms() ? Ok : InvalidInput;
}

// --- tag, rmi, prune ---

void add_tag(CLI::App &app, TagOptions &o) {
  auto *c = app.add_subcommand("tag", "Give an image another name");
  c->add_option("SOURCE", o.source, "existing name[:tag]")->required();
  c->add_option("TARGET", o.target, "new name[:tag]")->required();
  c->footer("Example: tairitsu tag calc:1.0 calc:stable");
}

int tag_command(const TagOptions &o, const StoreFlags &flags) {
  auto store = open_store(flags);
  if (!store) return report(store.error());
  auto tagged = store->tag(o.source, o.target);
  return tagged ? Ok : report(tagged.error());
}

void add_rmi(CLI::App &app, RmiOptions &o) {
  auto *c = app.add_subcommand("rmi", "Remove image names (blobs stay until prune)");
  c->add_option("IMAGE", o.refs, "name[:tag]...")->required();
  c->footer("Example: tairitsu rmi calc:1.0 calc:stable");
}

// Removes every name it can; reports each one it cannot, and exits with the first failure's code.
int rmi_command(const RmiOptions &o, const StoreFlags &flags) {
  auto store = open_store(flags);
  if (!store) return report(store.error());
  int code = Ok;
  for (const auto &ref : o.refs) {
    if (auto r = store->remove(ref); !r) {
      int failed = report(r.error());
      if (code == Ok) code = failed;
      continue;
    }
    std::cout << "removed " << ref << "\n";
  }
  return code;
}

void add_prune(CLI::App &app, PruneOptions &) {
  auto *c = app.add_subcommand("prune", "Delete blobs and artifacts no image names");
  c->footer("Example: tairitsu rmi calc:1.0 && tairitsu prune");
}

int prune_command(const PruneOptions &, const StoreFlags &flags) {
  auto store = open_store(flags);
  if (!store) return report(store.error());
  auto pruned = store->prune();
  if (!pruned) return report(pruned.error());
  for (const auto &d : pruned->blobs) std::cout << "deleted blob " << d << "\n";
  for (const auto &a : pruned->artifacts) std::cout << "deleted artifact " << a << "\n";
  if (pruned->temporary_files) std::cout << "deleted " << pruned->temporary_files << " temporary files\n";
  return Ok;
}

// --- compile ---

void add_compile(CLI::App &app, CompileOptions &o) {
  auto *c = app.add_subcommand("compile", "Precompile an image or file for this engine");
  c->add_option("TARGET", o.target, "an image name or a .wasm file")->required();
  c->add_option("-o,--output", o.output, "where to write the artifact (the store is then only read)");
  add_allow_precompiled(c, o.allow_precompiled);
  c->footer("Examples:\n  tairitsu compile calc:1.0\n  tairitsu compile calc.wasm -o calc.cwasm");
}

int compile_command(const CompileOptions &o, const StoreFlags &flags) {
  auto target = resolve(o.target, flags, o.allow_precompiled);
  if (!target) return report(target.error());
  if (target->stored && o.output.empty()) {
    auto store = open_store(flags);
    if (!store) return report(store.error());
    auto path = [&] {
      Progress progress("compiling " + o.target);
      return store->precompile(o.target);
    }();
    if (!path) return report(path.error());
    std::cout << path->string() << "\n";
    return Ok;
  }
  auto artifact = target->image.precompile();
  if (!artifact) return report(artifact.error());
  std::string out = !o.output.empty() ? o.output : fs::path(o.target).replace_extension(".cwasm").string();
  if (auto w = write_output(out, *artifact); !w) return report(w.error());
  std::cout << out << "\n";
  return Ok;
}

}  // namespace tairitsu::cli
