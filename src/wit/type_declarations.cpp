// The C++ declarations of a world's WIT types: structs for records and flags,
// enum classes, variants derived from std::variant, resource tags and
// aliases, each followed by the typed layer's trait that describes it.

#include <algorithm>

#include "wit/cpp_names.hpp"
#include "wit/header_generator.hpp"

namespace tairitsu::wit::cpp {

void HeaderGenerator::emit_types(const Json &iface, const std::string &inner) {
  std::vector<std::size_t> ids;
  for (const auto &[name, id] : iface["types"].items()) ids.push_back(id.get<std::size_t>());
  emit_type_block(ids, inner, "interface " + r_.qualified_name(iface));
}

void HeaderGenerator::emit_world_types(const Json &world) {
  std::vector<std::size_t> ids;
  for (const Json *side : {&world["imports"], &world["exports"]}) {
    for (const auto &[key, item] : side->items()) {
      if (item.contains("type")) ids.push_back(item["type"].get<std::size_t>());
    }
  }
  if (!ids.empty()) emit_type_block(ids, "", "world " + world_name_);
}

void HeaderGenerator::emit_type_block(std::vector<std::size_t> ids, const std::string &inner,
                                      const std::string &title) {
  std::sort(ids.begin(), ids.end());
  open(inner);
  out_ += "\n// Types of " + title + ".\n";
  std::string traits;
  for (std::size_t id : ids) {
    traits += emit_type(r_.type_def(id), inner);
  }
  close(inner);
  if (!traits.empty()) {
    out_ += "\nnamespace tairitsu {\n" + traits + "}  // namespace tairitsu\n";
  }
}

std::string HeaderGenerator::emit_struct(const std::string &name, const std::string &full, const Json &members,
                                         const std::string &trait) {
  out_ += "struct " + name + " {\n";
  std::string fields;
  for (const Json &m : members) {
    std::string member = snake(m["name"].get<std::string>());
    out_ += doc_comment(m, "  ");
    out_ += m.contains("type") ? "  " + types_.cpp_type(m["type"]) + " " + member + "{};\n"
                               : "  bool " + member + " = false;\n";
    fields += std::string(fields.empty() ? "" : ",\n") + "      wit_field(" + literal(m["name"].get<std::string>()) +
              ", &" + full + "::" + member + ")";
  }
  out_ += "\n  friend bool operator==(const " + name + " &, const " + name + " &) = default;\n};\n";
  return "template <>\nstruct " + trait + "<" + full + "> {\n  static constexpr auto fields = std::tuple{\n" + fields +
         "};\n};\n";
}

std::string HeaderGenerator::emit_type(const Json &def, const std::string &inner) {
  const std::string name = pascal(def["name"].get<std::string>());
  const std::string full = ns_ + "::" + (inner.empty() ? "" : inner + "::") + name;
  const Json &kind = def["kind"];
  out_ += "\n" + doc_comment(def, "");
  if (kind.is_string()) {  // "resource"
    out_ += "/// The resource `" + def["name"].get<std::string>() + "`: a tag for tairitsu::Own<" + name +
            "> and tairitsu::Borrow<" + name + ">.\n";
    out_ += "struct " + name + ";\n";
    return "template <>\nstruct WitResource<" + full +
           "> {\n  static constexpr const char *name = " + literal(def["name"].get<std::string>()) + ";\n};\n";
  }
  if (kind.contains("record")) {
    return emit_struct(name, full, kind["record"]["fields"], "WitRecord");
  }
  if (kind.contains("flags")) {
    return emit_struct(name, full, kind["flags"]["flags"], "WitFlags");
  }
  if (kind.contains("enum")) {
    out_ += "enum class " + name + " : uint32_t {\n";
    std::string names;
    for (const Json &c : kind["enum"]["cases"]) {
      out_ += doc_comment(c, "  ");
      out_ += "  " + pascal(c["name"].get<std::string>()) + ",\n";
      names += std::string(names.empty() ? "" : ", ") + literal(c["name"].get<std::string>());
    }
    out_ += "};\n";
    return "template <>\nstruct WitEnum<" + full + "> {\n  static constexpr std::array names{" + names + "};\n};\n";
  }
  if (kind.contains("variant")) {
    std::string alternatives;
    std::string factories;
    std::string names;
    std::size_t index = 0;
    for (const Json &c : kind["variant"]["cases"]) {
      std::string case_name = c["name"].get<std::string>();
      bool payload = !c["type"].is_null();
      std::string alt = payload ? types_.cpp_type(c["type"]) : "std::monostate";
      alternatives += std::string(alternatives.empty() ? "" : ", ") + alt;
      names += std::string(names.empty() ? "" : ", ") + literal(case_name);
      factories += doc_comment(c, "  ");
      std::string at = "std::in_place_index<" + std::to_string(index) + ">";
      factories += payload ? "  static " + name + " " + snake(case_name) + "(" + alt + " value) { return " + name +
                                 "(" + at + ", std::move(value)); }\n"
                           : "  static " + name + " " + snake(case_name) + "() { return " + name + "(" + at + "); }\n";
      ++index;
    }
    out_ += "struct " + name + " : std::variant<" + alternatives + "> {\n";
    out_ += "  using variant::variant;\n";
    out_ += factories;
    out_ += "};\n";
    return "template <>\nstruct WitVariant<" + full + "> {\n  static constexpr std::array names{" + names + "};\n};\n";
  }
  // A named alias (`use`, `type points = list<point>`).
  out_ += "using " + name + " = " + types_.structural_type(def) + ";\n";
  return "";
}

}  // namespace tairitsu::wit::cpp
