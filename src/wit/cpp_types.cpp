// The C++ spelling of WIT types in generated bindings.

#include "wit/cpp_types.hpp"

#include <map>

#include "wit/cpp_names.hpp"

namespace tairitsu::wit::cpp {

std::string TypeMapping::namespace_of_interface(std::size_t id) const {
  const Json &iface = r_.interface(id);
  if (iface["name"].is_null()) throw Unsupported("an interface without a name");
  return snake(iface["name"].get<std::string>());
}

std::string TypeMapping::named_type(const Json &def) const {
  const Json &owner = def["owner"];
  std::string name = pascal(def["name"].get<std::string>());
  if (owner.is_object() && owner.contains("interface")) {
    return namespace_of_interface(owner["interface"].get<std::size_t>()) + "::" + name;
  }
  return name;  // owned by the world: declared in the world's namespace
}

std::string TypeMapping::cpp_type(const Json &ref, Passing passing) const {
  if (ref.is_string()) {
    static const std::map<std::string, std::string> primitives = {
        {"bool", "bool"},   {"s8", "int8_t"},     {"u8", "uint8_t"},        {"s16", "int16_t"},  {"u16", "uint16_t"},
        {"s32", "int32_t"}, {"u32", "uint32_t"},  {"s64", "int64_t"},       {"u64", "uint64_t"}, {"f32", "float"},
        {"f64", "double"},  {"char", "char32_t"}, {"string", "std::string"}};
    auto found = primitives.find(ref.get<std::string>());
    if (found == primitives.end()) {
      throw Unsupported("the WIT type '" + ref.get<std::string>() + "'");
    }
    if (passing == Passing::Viewed && found->second == "std::string") return "std::string_view";
    return found->second;
  }
  const Json &def = r_.type_def(ref.get<std::size_t>());
  if (!def["name"].is_null()) {
    return named_type(def);
  }
  return structural_type(def, passing);
}

std::string TypeMapping::structural_type(const Json &def, Passing passing) const {
  const Json &kind = def["kind"];
  if (kind.is_object()) {
    if (kind.contains("type")) return cpp_type(kind["type"], passing);
    if (kind.contains("list")) return "std::vector<" + cpp_type(kind["list"]) + ">";
    if (kind.contains("option")) return "std::optional<" + cpp_type(kind["option"]) + ">";
    if (kind.contains("result")) {
      auto side = [&](const Json &j) { return j.is_null() ? "std::monostate" : cpp_type(j); };
      return "tairitsu::Outcome<" + side(kind["result"]["ok"]) + ", " + side(kind["result"]["err"]) + ">";
    }
    if (kind.contains("tuple")) {
      std::string out = "std::tuple<";
      bool first = true;
      for (const Json &t : kind["tuple"]["types"]) {
        out += (first ? "" : ", ") + cpp_type(t);
        first = false;
      }
      return out + ">";
    }
    if (kind.contains("handle")) {
      const Json &h = kind["handle"];
      bool own = h.contains("own");
      const Json &resource = r_.type_def((own ? h["own"] : h["borrow"]).get<std::size_t>());
      return std::string(own ? "tairitsu::Own<" : "tairitsu::Borrow<") + named_type(resource) + ">";
    }
  }
  throw Unsupported("the WIT type " + kind.dump() + " (maps, streams and futures have no typed C++ mapping yet)");
}

std::string TypeMapping::param_decl(const Json &ref) const {
  std::string viewed = cpp_type(ref, Passing::Viewed);
  bool cheap = ref.is_string() || viewed.starts_with("tairitsu::Own<") || viewed.starts_with("tairitsu::Borrow<");
  if (!cheap && !ref.is_string()) {
    const Json &def = r_.underlying(ref.get<std::size_t>());
    cheap = def["kind"].is_object() && def["kind"].contains("enum");
  }
  return cheap ? viewed : "const " + viewed + " &";
}

}  // namespace tairitsu::wit::cpp
