// Worlds loaded from WIT, and images checked against them.

#include "tairitsu/wit.hpp"
#include "wit/names.hpp"
#include "wit/resolve.hpp"

namespace tairitsu {

std::string WorldItem::signature() const {
  switch (kind) {
    case Kind::Function: return item_name + ": " + function->to_string();
    case Kind::Interface: return "interface " + name;
    case Kind::Resource: return "resource " + item_name;
    case Kind::Module: return "module " + item_name;
    case Kind::Component: return "component " + item_name;
  }
  return name;
}

namespace {

// The items of one side of a world, in the form Image::imports() uses:
// interfaces followed by their resources and functions, root functions.
std::vector<WorldItem> world_items(const wit::Resolve &resolve, const wit::Json &side) {
  std::vector<WorldItem> out;
  auto add_function = [&](const std::string &iface, const wit::Json &function) {
    WorldItem w;
    w.kind = WorldItem::Kind::Function;
    w.interface_name = iface;
    w.item_name = function["name"].get<std::string>();
    w.name = iface.empty() ? w.item_name : iface + "#" + w.item_name;
    w.function = resolve.function_type(function);
    out.push_back(std::move(w));
  };
  for (const auto &[key, item] : side.items()) {
    if (item.contains("function")) {
      add_function("", item["function"]);
    } else if (item.contains("interface")) {
      const wit::Json &iface = resolve.interface(item["interface"]["id"].get<std::size_t>());
      std::string name = resolve.qualified_name(iface, key);
      out.push_back(WorldItem{WorldItem::Kind::Interface, name, "", name, std::nullopt});
      for (const auto &[type_name, id] : iface["types"].items()) {
        const wit::Json &def = resolve.type_def(id.get<std::size_t>());
        if (def["kind"].is_string() && def["kind"] == "resource") {
          out.push_back(WorldItem{WorldItem::Kind::Resource, name + "#" + type_name, name, type_name, std::nullopt});
        }
      }
      for (const auto &[fname, function] : iface["functions"].items()) {
        add_function(name, function);
      }
    }
    // Types named at the world's root are not items one calls or links.
  }
  return out;
}

// The item of `provided` that serves `wanted`, by the rule linking uses
// (the same names; interfaces of the same name and compatible versions).
const WorldItem *find_served(std::span<const WorldItem> provided, const WorldItem &wanted) {
  for (const WorldItem &p : provided) {
    if (p.kind != wanted.kind) {
      continue;
    }
    if (wanted.kind == WorldItem::Kind::Interface
            ? detail::interface_satisfies(p.name, wanted.name)
            : detail::serves(p.interface_name, p.item_name, wanted.interface_name, wanted.item_name)) {
      return &p;
    }
  }
  return nullptr;
}

bool checked(const WorldItem &item) {
  return item.kind == WorldItem::Kind::Function || item.kind == WorldItem::Kind::Interface;
}

std::string signature_of(const WorldItem &item) {
  return item.function ? item.function->to_string() : item.signature();
}

}  // namespace

Result<WitWorld> WitWorld::load(const std::filesystem::path &path, std::string_view world) {
  auto resolve = wit::Resolve::load(path, world);
  if (!resolve) {
    return std::move(resolve).error();
  }
  try {
    WitWorld out;
    const wit::Json &w = resolve->world();
    out.name_ = resolve->qualified_name(w);
    out.imports_ = world_items(*resolve, w["imports"]);
    out.exports_ = world_items(*resolve, w["exports"]);
    out.json_ = resolve->text();
    return out;
  } catch (const std::exception &e) {
    return Error(ErrorCode::Unsupported, e.what()).with_context("reading the WIT world at '" + path.string() + "'");
  }
}

std::string WorldDifference::to_string() const {
  switch (kind) {
    case Kind::UnprovidedImport: return "import " + name + " (" + in_image + "): not provided by the world";
    case Kind::MissingExport: return "export " + name + " (" + in_world + "): missing from the image";
    case Kind::ImportType:
      return "import " + name + ": the world provides " + in_world + ", the image imports " + in_image;
    case Kind::ExportType:
      return "export " + name + ": the world expects " + in_world + ", the image exports " + in_image;
  }
  return name;
}

std::string WorldCheck::to_string() const {
  if (differences.empty()) {
    return "conforms to " + world;
  }
  std::string out = "does not conform to " + world + ":";
  for (const WorldDifference &d : differences) {
    out += "\n  " + d.to_string();
  }
  return out;
}

WorldCheck check_world(std::span<const WorldItem> imports, std::span<const WorldItem> exports, const WitWorld &world,
                       WorldCheckOptions options) {
  WorldCheck report{world.name(), {}};
  using Kind = WorldDifference::Kind;
  // `outer` holds the side that must provide the other; a missing
  // interface is reported once, not once per member.
  auto compare = [&](std::span<const WorldItem> inner, std::span<const WorldItem> outer, Kind missing, Kind mismatch,
                     bool inner_is_image) {
    for (const WorldItem &item : inner) {
      if (!checked(item)) continue;
      if (inner_is_image && options.wasi_provided &&
          detail::is_wasi_p2_interface(item.interface_name.empty() ? item.name : item.interface_name)) {
        continue;
      }
      if (!item.interface_name.empty() &&
          !find_served(outer,
                       WorldItem{WorldItem::Kind::Interface, item.interface_name, "", item.interface_name, {}})) {
        continue;
      }
      const WorldItem *found = find_served(outer, item);
      std::string here = signature_of(item);
      if (!found) {
        report.differences.push_back(inner_is_image ? WorldDifference{missing, item.name, "", here}
                                                    : WorldDifference{missing, item.name, here, ""});
      } else if (item.function != found->function) {
        std::string there = signature_of(*found);
        report.differences.push_back(inner_is_image ? WorldDifference{mismatch, item.name, there, here}
                                                    : WorldDifference{mismatch, item.name, here, there});
      }
    }
  };
  compare(imports, world.imports(), Kind::UnprovidedImport, Kind::ImportType, true);
  compare(world.exports(), exports, Kind::MissingExport, Kind::ExportType, false);
  return report;
}

}  // namespace tairitsu
