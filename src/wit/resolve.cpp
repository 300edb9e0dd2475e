// wit-parser's JSON: loading it through the native library, and reading types.

#include "wit/resolve.hpp"

#include <system_error>

#include <tairitsu_native_base.h>

namespace tairitsu::wit {

namespace {

struct NativeBytes {
  tairitsu_bytes bytes{nullptr, 0};
  ~NativeBytes() { tairitsu_bytes_free(&bytes); }
  std::string text() const { return std::string(reinterpret_cast<const char *>(bytes.data), bytes.len); }
};

const uint8_t *utf8(std::string_view s) { return reinterpret_cast<const uint8_t *>(s.data()); }

}  // namespace

Result<Resolve> Resolve::load(const std::filesystem::path &path, std::string_view world) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    return Error(ErrorCode::NotFound, "no WIT file or directory at '" + path.string() + "'");
  }
  std::string p = path.string();
  NativeBytes out;
  NativeBytes error;
  if (tairitsu_wit_resolve(utf8(p), p.size(), utf8(world), world.size(), &out.bytes, &error.bytes) != 0) {
    return Error(ErrorCode::InvalidInput, error.text())
        .with_context("resolving the WIT at '" + p + "'" +
                      (world.empty() ? "" : " for world '" + std::string(world) + "'"));
  }
  Resolve r;
  r.text_ = out.text();
  r.root_ = Json::parse(r.text_);
  return r;
}

std::string Resolve::qualified_name(const Json &item, std::string_view fallback) const {
  if (item["name"].is_null()) {
    return std::string(fallback);
  }
  std::string name = item["name"].get<std::string>();
  if (!item.contains("package") || item["package"].is_null()) {
    return name;
  }
  // "ns:pkg@1.0.0" + "iface" -> "ns:pkg/iface@1.0.0"
  std::string pkg = package(item["package"].get<std::size_t>())["name"].get<std::string>();
  std::size_t at = pkg.find('@');
  if (at == std::string::npos) {
    return pkg + "/" + name;
  }
  return pkg.substr(0, at) + "/" + name + pkg.substr(at);
}

std::optional<Type> primitive_type(std::string_view name) {
  static const std::pair<std::string_view, Type (*)()> table[] = {
      {"bool", Type::boolean},  {"s8", Type::s8},
      {"u8", Type::u8},         {"s16", Type::s16},
      {"u16", Type::u16},       {"s32", Type::s32},
      {"u32", Type::u32},       {"s64", Type::s64},
      {"u64", Type::u64},       {"f32", Type::f32},
      {"f64", Type::f64},       {"char", Type::character},
      {"string", Type::string}, {"error-context", Type::error_context},
  };
  for (const auto &[n, make] : table) {
    if (n == name) return make();
  }
  return std::nullopt;
}

const Json &Resolve::underlying(std::size_t id) const {
  const Json *def = &type_def(id);
  while ((*def)["kind"].is_object() && (*def)["kind"].contains("type") && (*def)["kind"]["type"].is_number()) {
    def = &type_def((*def)["kind"]["type"].get<std::size_t>());
  }
  return *def;
}

Type Resolve::type_of(const Json &ref) const {
  if (ref.is_string()) {
    if (auto t = primitive_type(ref.get<std::string>())) return *t;
    throw std::runtime_error("unknown WIT type '" + ref.get<std::string>() + "'");
  }
  const Json &def = type_def(ref.get<std::size_t>());
  const Json &kind = def["kind"];
  if (kind.is_string()) {
    // "resource" as a value type only appears behind a handle.
    throw std::runtime_error("WIT type kind '" + kind.get<std::string>() + "' is not a value type");
  }
  auto optional_type = [&](const Json &j) -> std::optional<Type> {
    if (j.is_null()) return std::nullopt;
    return type_of(j);
  };
  if (kind.contains("type")) return type_of(kind["type"]);
  if (kind.contains("record")) {
    std::vector<NamedType> fields;
    for (const Json &f : kind["record"]["fields"]) {
      fields.push_back({f["name"].get<std::string>(), type_of(f["type"])});
    }
    return Type::record(std::move(fields));
  }
  if (kind.contains("variant")) {
    std::vector<NamedType> cases;
    for (const Json &c : kind["variant"]["cases"]) {
      cases.push_back({c["name"].get<std::string>(), optional_type(c["type"])});
    }
    return Type::variant(std::move(cases));
  }
  auto names_of = [](const Json &items) {
    std::vector<std::string> names;
    for (const Json &i : items) names.push_back(i["name"].get<std::string>());
    return names;
  };
  if (kind.contains("enum")) return Type::enumeration(names_of(kind["enum"]["cases"]));
  if (kind.contains("flags")) return Type::flags(names_of(kind["flags"]["flags"]));
  if (kind.contains("tuple")) {
    std::vector<Type> elements;
    for (const Json &t : kind["tuple"]["types"]) elements.push_back(type_of(t));
    return Type::tuple(std::move(elements));
  }
  if (kind.contains("list")) return Type::list(type_of(kind["list"]));
  if (kind.contains("option")) return Type::option(type_of(kind["option"]));
  if (kind.contains("result")) {
    return Type::result(optional_type(kind["result"]["ok"]), optional_type(kind["result"]["err"]));
  }
  if (kind.contains("map")) return Type::map(type_of(kind["map"][0]), type_of(kind["map"][1]));
  if (kind.contains("future")) return Type::future(optional_type(kind["future"]));
  if (kind.contains("stream")) return Type::stream(optional_type(kind["stream"]));
  if (kind.contains("handle")) {
    const Json &h = kind["handle"];
    bool own = h.contains("own");
    std::string resource = underlying((own ? h["own"] : h["borrow"]).get<std::size_t>())["name"];
    return own ? Type::own(resource) : Type::borrow(resource);
  }
  throw std::runtime_error("unsupported WIT type " + kind.dump());
}

FunctionType Resolve::function_type(const Json &function) const {
  FunctionType type;
  for (const Json &p : function["params"]) {
    type.params.push_back({p["name"].get<std::string>(), type_of(p["type"])});
  }
  if (function.contains("result") && !function["result"].is_null()) {
    type.result = type_of(function["result"]);
  }
  const Json &kind = function["kind"];
  std::string k = kind.is_string() ? kind.get<std::string>() : kind.begin().key();
  type.is_async = k.starts_with("async");
  return type;
}

}  // namespace tairitsu::wit
