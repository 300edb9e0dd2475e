// tairitsu-bindgen's generator: wit-parser's resolved world in, one C++ header out.

#include "wit/bindgen.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <stdexcept>
#include <vector>

namespace tairitsu::wit {

namespace {

struct Unsupported : std::runtime_error {
  using std::runtime_error::runtime_error;
};

bool is_keyword(std::string_view word) {
  static const std::set<std::string_view> keywords = {"alignas",
                                                      "alignof",
                                                      "and",
                                                      "asm",
                                                      "auto",
                                                      "bool",
                                                      "break",
                                                      "case",
                                                      "catch",
                                                      "char",
                                                      "char8_t",
                                                      "char16_t",
                                                      "char32_t",
                                                      "class",
                                                      "concept",
                                                      "const",
                                                      "consteval",
                                                      "constexpr",
                                                      "constinit",
                                                      "const_cast",
                                                      "continue",
                                                      "co_await",
                                                      "co_return",
                                                      "co_yield",
                                                      "decltype",
                                                      "default",
                                                      "delete",
                                                      "do",
                                                      "double",
                                                      "dynamic_cast",
                                                      "else",
                                                      "enum",
                                                      "explicit",
                                                      "export",
                                                      "extern",
                                                      "false",
                                                      "float",
                                                      "for",
                                                      "friend",
                                                      "goto",
                                                      "if",
                                                      "inline",
                                                      "int",
                                                      "long",
                                                      "mutable",
                                                      "namespace",
                                                      "new",
                                                      "noexcept",
                                                      "not",
                                                      "nullptr",
                                                      "operator",
                                                      "or",
                                                      "private",
                                                      "protected",
                                                      "public",
                                                      "register",
                                                      "reinterpret_cast",
                                                      "requires",
                                                      "return",
                                                      "short",
                                                      "signed",
                                                      "sizeof",
                                                      "static",
                                                      "static_assert",
                                                      "static_cast",
                                                      "struct",
                                                      "switch",
                                                      "template",
                                                      "this",
                                                      "thread_local",
                                                      "throw",
                                                      "true",
                                                      "try",
                                                      "typedef",
                                                      "typeid",
                                                      "typename",
                                                      "union",
                                                      "unsigned",
                                                      "using",
                                                      "virtual",
                                                      "void",
                                                      "volatile",
                                                      "wchar_t",
                                                      "while",
                                                      "xor",
                                                      "self",
                                                      "std",
                                                      "tairitsu"};
  return keywords.contains(word);
}

/// "scaled-area" -> "scaled_area"; keywords get a trailing underscore.
std::string snake(std::string_view wit) {
  std::string out(wit);
  std::replace(out.begin(), out.end(), '-', '_');
  return is_keyword(out) ? out + "_" : out;
}

/// "scaled-area" -> "ScaledArea".
std::string pascal(std::string_view wit) {
  std::string out;
  bool upper = true;
  for (char c : wit) {
    if (c == '-') {
      upper = true;
    } else {
      out += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
      upper = false;
    }
  }
  return out;
}

std::string literal(std::string_view s) { return "\"" + std::string(s) + "\""; }

/// `/// text` lines for a docs object, indented.
std::string doc_comment(const Json &item, std::string_view indent) {
  if (!item.contains("docs") || !item["docs"].contains("contents") || item["docs"]["contents"].is_null()) {
    return "";
  }
  std::string out;
  std::string text = item["docs"]["contents"].get<std::string>();
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(start, end - start);
    out += std::string(indent) + "///" + (line.empty() ? "" : " " + line) + "\n";
    start = end + 1;
  }
  return out;
}

/// How a parameter is passed.
enum class Passing {
  Owned,   ///< by value, as the typed layer receives it (host implementations)
  Viewed,  ///< cheap for calls into a guest: string_view, const& for aggregates
};

class Generator {
 public:
  Generator(const Resolve &resolve, std::string ns) : r_(resolve), ns_(std::move(ns)) {}

  std::string run() {
    const Json &world = r_.world();
    world_name_ = r_.qualified_name(world);
    collect_interfaces(world["imports"]);
    collect_interfaces(world["exports"]);
    check_namespaces();

    out_ += "// Generated by tairitsu-bindgen from the WIT world " + world_name_ + ".\n";
    out_ += "// Do not edit: change the WIT and generate again.\n";
    out_ += "#pragma once\n\n";
    out_ += "#include <cstdint>\n#include <memory>\n#include <optional>\n#include <string>\n";
    out_ += "#include <string_view>\n#include <tuple>\n#include <variant>\n#include <vector>\n\n";
    out_ += "#include <tairitsu/container.hpp>\n#include <tairitsu/typed.hpp>\n";

    for (std::size_t id : interfaces_) {
      emit_types(r_.interface(id), namespace_of_interface(id));
    }
    emit_world_types(world);
    for (const auto &[key, item] : world["imports"].items()) {
      if (item.contains("interface")) emit_import(item["interface"]["id"].get<std::size_t>());
    }
    emit_root_functions(world["imports"], true);
    for (const auto &[key, item] : world["exports"].items()) {
      if (item.contains("interface")) emit_export(item["interface"]["id"].get<std::size_t>());
    }
    emit_root_functions(world["exports"], false);
    return out_;
  }

 private:
  // --- names ---------------------------------------------------------------

  void collect_interfaces(const Json &side) {
    for (const auto &[key, item] : side.items()) {
      if (!item.contains("interface")) continue;
      add_interface(item["interface"]["id"].get<std::size_t>());
    }
    std::sort(interfaces_.begin(), interfaces_.end());
  }

  // An interface and, first, those whose types it uses.
  void add_interface(std::size_t id) {
    if (std::find(interfaces_.begin(), interfaces_.end(), id) != interfaces_.end()) return;
    for (const auto &[name, type] : r_.interface(id)["types"].items()) {
      const Json &def = r_.type_def(type.get<std::size_t>());
      const Json &kind = def["kind"];
      if (kind.is_object() && kind.contains("type") && kind["type"].is_number()) {
        const Json &target = r_.type_def(kind["type"].get<std::size_t>());
        if (target["owner"].is_object() && target["owner"].contains("interface")) {
          std::size_t other = target["owner"]["interface"].get<std::size_t>();
          if (other != id) add_interface(other);
        }
      }
    }
    interfaces_.push_back(id);
  }

  std::string namespace_of_interface(std::size_t id) const {
    const Json &iface = r_.interface(id);
    if (iface["name"].is_null()) throw Unsupported("an interface without a name");
    return snake(iface["name"].get<std::string>());
  }

  void check_namespaces() const {
    std::map<std::string, std::size_t> seen;
    for (std::size_t id : interfaces_) {
      auto [it, fresh] = seen.emplace(namespace_of_interface(id), id);
      if (!fresh) {
        throw Unsupported("interfaces " + r_.qualified_name(r_.interface(it->second)) + " and " +
                          r_.qualified_name(r_.interface(id)) + " would share the C++ namespace '" + it->first + "'");
      }
    }
  }

  /// The C++ name of a named type definition, relative to the world's namespace.
  std::string named_type(const Json &def) const {
    const Json &owner = def["owner"];
    std::string name = pascal(def["name"].get<std::string>());
    if (owner.is_object() && owner.contains("interface")) {
      return namespace_of_interface(owner["interface"].get<std::size_t>()) + "::" + name;
    }
    return name;  // owned by the world: declared in the world's namespace
  }

  std::string cpp_type(const Json &ref, Passing passing = Passing::Owned) const {
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

  /// A type definition spelled through its structure, whatever its name.
  std::string structural_type(const Json &def, Passing passing = Passing::Owned) const {
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

  /// How a parameter of a call into a guest is declared.
  std::string param_decl(const Json &ref) const {
    std::string viewed = cpp_type(ref, Passing::Viewed);
    bool cheap = ref.is_string() || viewed.starts_with("tairitsu::Own<") || viewed.starts_with("tairitsu::Borrow<");
    if (!cheap && !ref.is_string()) {
      const Json &def = r_.underlying(ref.get<std::size_t>());
      cheap = def["kind"].is_object() && def["kind"].contains("enum");
    }
    return cheap ? viewed : "const " + viewed + " &";
  }

  /// `type name`, or `const type &name`.
  static std::string declare(const std::string &type, const std::string &name) {
    return type + (type.ends_with("&") ? "" : " ") + name;
  }

  // --- types ---------------------------------------------------------------

  void open(const std::string &inner) { out_ += "\nnamespace " + ns_ + (inner.empty() ? "" : "::" + inner) + " {\n"; }
  void close(const std::string &inner) {
    out_ += "}  // namespace " + ns_ + (inner.empty() ? "" : "::" + inner) + "\n";
  }

  void emit_types(const Json &iface, const std::string &inner) {
    std::vector<std::size_t> ids;
    for (const auto &[name, id] : iface["types"].items()) ids.push_back(id.get<std::size_t>());
    emit_type_block(ids, inner, "interface " + r_.qualified_name(iface));
  }

  void emit_world_types(const Json &world) {
    std::vector<std::size_t> ids;
    for (const Json *side : {&world["imports"], &world["exports"]}) {
      for (const auto &[key, item] : side->items()) {
        if (item.contains("type")) ids.push_back(item["type"].get<std::size_t>());
      }
    }
    if (!ids.empty()) emit_type_block(ids, "", "world " + world_name_);
  }

  void emit_type_block(std::vector<std::size_t> ids, const std::string &inner, const std::string &title) {
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

  /// A struct for a record (members of their types) or for flags (`bool`
  /// members); returns the trait that names its members.
  std::string emit_struct(const std::string &name, const std::string &full, const Json &members,
                          const std::string &trait) {
    out_ += "struct " + name + " {\n";
    std::string fields;
    for (const Json &m : members) {
      std::string member = snake(m["name"].get<std::string>());
      out_ += doc_comment(m, "  ");
      out_ +=
          m.contains("type") ? "  " + cpp_type(m["type"]) + " " + member + "{};\n" : "  bool " + member + " = false;\n";
      fields += std::string(fields.empty() ? "" : ",\n") + "      wit_field(" + literal(m["name"].get<std::string>()) +
                ", &" + full + "::" + member + ")";
    }
    out_ += "\n  friend bool operator==(const " + name + " &, const " + name + " &) = default;\n};\n";
    return "template <>\nstruct " + trait + "<" + full + "> {\n  static constexpr auto fields = std::tuple{\n" +
           fields + "};\n};\n";
  }

  /// Declares one named type; returns its trait specializations.
  std::string emit_type(const Json &def, const std::string &inner) {
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
        std::string alt = payload ? cpp_type(c["type"]) : "std::monostate";
        alternatives += std::string(alternatives.empty() ? "" : ", ") + alt;
        names += std::string(names.empty() ? "" : ", ") + literal(case_name);
        factories += doc_comment(c, "  ");
        std::string at = "std::in_place_index<" + std::to_string(index) + ">";
        factories += payload
                         ? "  static " + name + " " + snake(case_name) + "(" + alt + " value) { return " + name + "(" +
                               at + ", std::move(value)); }\n"
                         : "  static " + name + " " + snake(case_name) + "() { return " + name + "(" + at + "); }\n";
        ++index;
      }
      out_ += "struct " + name + " : std::variant<" + alternatives + "> {\n";
      out_ += "  using variant::variant;\n";
      out_ += factories;
      out_ += "};\n";
      return "template <>\nstruct WitVariant<" + full + "> {\n  static constexpr std::array names{" + names +
             "};\n};\n";
    }
    // A named alias (`use`, `type points = list<point>`).
    out_ += "using " + name + " = " + structural_type(def) + ";\n";
    return "";
  }

  // --- functions -------------------------------------------------------------

  struct Function {
    const Json *json;
    std::string cpp_name;
  };

  /// The C++ method name: "describe", "accumulator_new", "accumulator_add".
  static std::string method_name(const Json &function) {
    std::string name = function["name"].get<std::string>();
    const Json &kind = function["kind"];
    if (kind.is_object()) {
      if (kind.contains("constructor")) {
        return snake(name.substr(name.find(']') + 1) + "-new");
      }
      std::size_t dot = name.find('.');
      std::string resource = name.substr(name.find(']') + 1, dot - name.find(']') - 1);
      return snake(resource + "-" + name.substr(dot + 1));
    }
    return snake(name);
  }

  std::vector<Function> functions_of(const Json &functions) const {
    std::vector<Function> out;
    for (const auto &[name, function] : functions.items()) {
      const Json &kind = function["kind"];
      std::string k = kind.is_string() ? kind.get<std::string>() : kind.begin().key();
      if (k.starts_with("async")) {
        throw Unsupported("the async function '" + name + "'");
      }
      out.push_back({&function, method_name(function)});
    }
    return out;
  }

  std::string result_type(const Json &function) const {
    if (!function.contains("result") || function["result"].is_null()) return "void";
    return cpp_type(function["result"]);
  }

  /// "int32_t(std::string_view, const Point &)" for TypedFunc, or the host form.
  std::string signature(const Json &function, Passing passing) const {
    std::string out = result_type(function) + "(";
    bool first = true;
    for (const Json &p : function["params"]) {
      out += (first ? "" : ", ") + cpp_type(p["type"], passing);
      first = false;
    }
    return out + ")";
  }

  std::string params(const Json &function, bool for_guest_call) const {
    std::string out;
    for (const Json &p : function["params"]) {
      out += (out.empty() ? "" : ", ") +
             declare(for_guest_call ? param_decl(p["type"]) : cpp_type(p["type"]), snake(p["name"].get<std::string>()));
    }
    return out;
  }

  /// Arguments passed on, moved: owned handles must be, the rest may be.
  std::string arguments(const Json &function) const {
    std::string out;
    for (const Json &p : function["params"]) {
      out += (out.empty() ? "" : ", ") + ("std::move(" + snake(p["name"].get<std::string>()) + ")");
    }
    return out;
  }

  std::string full_name(const std::string &iface, const Json &function) const {
    std::string name = function["name"].get<std::string>();
    return iface.empty() ? name : iface + "#" + name;
  }

  // --- imports: the host implements -------------------------------------------

  void emit_import(std::size_t id) {
    const Json &iface = r_.interface(id);
    std::string inner = namespace_of_interface(id);
    std::string qualified = r_.qualified_name(iface);
    for (const auto &[name, type] : iface["types"].items()) {
      if (r_.underlying(type.get<std::size_t>())["kind"] == "resource") {
        throw Unsupported("the resource '" + name + "' of the imported interface " + qualified +
                          " (host-implemented resources are defined with ContainerBuilder::define_resource)");
      }
    }
    if (iface["functions"].empty()) return;  // types only: declared above
    emit_host_class(inner, pascal(iface["name"].get<std::string>()), qualified, functions_of(iface["functions"]),
                    doc_comment(iface, ""));
  }

  void emit_host_class(const std::string &inner, const std::string &cls, const std::string &qualified,
                       const std::vector<Function> &functions, const std::string &docs) {
    open(inner);
    out_ += "\n" + docs;
    out_ +=
        "/// The host's side of " + (qualified.empty() ? std::string("the world's root imports") : qualified) + ".\n";
    out_ += "/// Exceptions thrown by a method become a trap in the calling guest.\n";
    out_ += "class " + cls + " {\n public:\n";
    out_ += "  virtual ~" + cls + "() = default;\n";
    for (const Function &f : functions) {
      out_ += "\n" + doc_comment(*f.json, "  ");
      out_ += "  virtual " + result_type(*f.json) + " " + f.cpp_name + "(" + params(*f.json, false) + ") = 0;\n";
    }
    out_ += "};\n\n";
    out_ += "/// Defines every function of `" + cls + "` on `builder`, calling `host`, which\n";
    out_ += "/// must outlive the containers built.\n";
    out_ +=
        "inline tairitsu::ContainerBuilder &add_to_builder(tairitsu::ContainerBuilder &builder, " + cls + " &host) {\n";
    for (const Function &f : functions) {
      out_ += "  builder.define<" + signature(*f.json, Passing::Owned) + ">(\n      " +
              literal(full_name(qualified, *f.json)) + ",\n      [&host](" + params(*f.json, false) +
              ") { return host." + f.cpp_name + "(" + arguments(*f.json) + "); });\n";
    }
    out_ += "  return builder;\n}\n";
    close(inner);
  }

  // --- exports: the guest implements -------------------------------------------

  void emit_export(std::size_t id) {
    const Json &iface = r_.interface(id);
    if (iface["functions"].empty()) return;
    emit_guest_class(namespace_of_interface(id), pascal(iface["name"].get<std::string>()), r_.qualified_name(iface),
                     functions_of(iface["functions"]), doc_comment(iface, ""));
  }

  void emit_root_functions(const Json &side, bool imports) {
    Json functions = Json::object();
    for (const auto &[key, item] : side.items()) {
      if (item.contains("function")) functions[key] = item["function"];
    }
    if (functions.empty()) return;
    if (imports) {
      emit_host_class("", "Imports", "", functions_of(functions), "");
    } else {
      emit_guest_class("", "Exports", "", functions_of(functions), "");
    }
  }

  void emit_guest_class(const std::string &inner, const std::string &cls, const std::string &qualified,
                        const std::vector<Function> &functions, const std::string &docs) {
    open(inner);
    out_ += "\n" + docs;
    out_ +=
        "/// The guest's side of " + (qualified.empty() ? std::string("the world's root exports") : qualified) + ".\n";
    out_ += "/// Derive from it for a native implementation; `" + cls + "Guest` calls a container.\n";
    out_ += "class " + cls + " {\n public:\n";
    out_ += "  virtual ~" + cls + "() = default;\n";
    for (const Function &f : functions) {
      out_ += "\n" + doc_comment(*f.json, "  ");
      out_ += "  virtual tairitsu::Result<" + result_type(*f.json) + "> " + f.cpp_name + "(" + params(*f.json, true) +
              ") = 0;\n";
    }
    out_ += "};\n\n";

    std::string guest = cls + "Guest";
    out_ += "/// `" + cls + "` implemented by a container's guest. Every signature is checked\n";
    out_ += "/// once, by `bind`; the container must outlive this object.\n";
    out_ += "class " + guest + " final : public " + cls + " {\n public:\n";
    out_ += "  static tairitsu::Result<" + guest + "> bind(tairitsu::Container &container) {\n";
    out_ += "    " + guest + " out;\n";
    for (const Function &f : functions) {
      out_ += "    if (auto f = container.func<" + signature(*f.json, Passing::Viewed) + ">(" +
              literal(full_name(qualified, *f.json)) + "); !f) {\n";
      out_ += "      return std::move(f).error();\n    } else {\n      out." + f.cpp_name +
              "_.emplace(std::move(*f));\n    }\n";
    }
    out_ += "    return out;\n  }\n";
    for (const Function &f : functions) {
      out_ += "\n  tairitsu::Result<" + result_type(*f.json) + "> " + f.cpp_name + "(" + params(*f.json, true) +
              ") override {\n";
      out_ += "    return (*" + f.cpp_name + "_)(" + arguments(*f.json) + ");\n  }\n";
    }
    out_ += "\n private:\n";
    for (const Function &f : functions) {
      out_ +=
          "  std::optional<tairitsu::TypedFunc<" + signature(*f.json, Passing::Viewed) + ">> " + f.cpp_name + "_;\n";
    }
    out_ += "};\n";
    close(inner);
  }

  const Resolve &r_;
  std::string ns_;
  std::string world_name_;
  std::vector<std::size_t> interfaces_;
  std::string out_;
};

}  // namespace

Result<std::string> generate_header(const Resolve &resolve, const BindgenOptions &options) {
  std::string ns = options.cpp_namespace;
  if (ns.empty()) {
    ns = snake(resolve.world()["name"].get<std::string>());
  }
  try {
    return Generator(resolve, ns).run();
  } catch (const Unsupported &e) {
    return Error(ErrorCode::Unsupported, std::string(e.what()) + " has no C++ binding")
        .with_context("generating bindings for " + resolve.qualified_name(resolve.world()));
  } catch (const std::exception &e) {
    return Error(ErrorCode::InvalidInput, e.what())
        .with_context("generating bindings for " + resolve.qualified_name(resolve.world()));
  }
}

}  // namespace tairitsu::wit
