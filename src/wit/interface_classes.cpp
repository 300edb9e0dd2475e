// The classes generated for a world's functions: for imports, an abstract
// class the host implements and `add_to_builder`; for exports, an abstract
// class and `<Name>Guest`, its implementation by a container.

#include "wit/cpp_names.hpp"
#include "wit/header_generator.hpp"

namespace tairitsu::wit::cpp {

std::string HeaderGenerator::method_name(const Json &function) {
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

std::vector<HeaderGenerator::Function> HeaderGenerator::functions_of(const Json &functions) const {
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

std::string HeaderGenerator::result_type(const Json &function) const {
  if (!function.contains("result") || function["result"].is_null()) return "void";
  return types_.cpp_type(function["result"]);
}

std::string HeaderGenerator::signature(const Json &function, Passing passing) const {
  std::string out = result_type(function) + "(";
  bool first = true;
  for (const Json &p : function["params"]) {
    out += (first ? "" : ", ") + types_.cpp_type(p["type"], passing);
    first = false;
  }
  return out + ")";
}

std::string HeaderGenerator::params(const Json &function, bool for_guest_call) const {
  std::string out;
  for (const Json &p : function["params"]) {
    out += (out.empty() ? "" : ", ") +
           TypeMapping::declare(for_guest_call ? types_.param_decl(p["type"]) : types_.cpp_type(p["type"]),
                                snake(p["name"].get<std::string>()));
  }
  return out;
}

std::string HeaderGenerator::arguments(const Json &function) const {
  std::string out;
  for (const Json &p : function["params"]) {
    out += (out.empty() ? "" : ", ") + ("std::move(" + snake(p["name"].get<std::string>()) + ")");
  }
  return out;
}

std::string HeaderGenerator::full_name(const std::string &iface, const Json &function) const {
  std::string name = function["name"].get<std::string>();
  return iface.empty() ? name : iface + "#" + name;
}

void HeaderGenerator::emit_import(std::size_t id) {
  const Json &iface = r_.interface(id);
  std::string inner = types_.namespace_of_interface(id);
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

void HeaderGenerator::emit_host_class(const std::string &inner, const std::string &cls, const std::string &qualified,
                                      const std::vector<Function> &functions, const std::string &docs) {
  open(inner);
  out_ += "\n" + docs;
  out_ += "/// The host's side of " + (qualified.empty() ? std::string("the world's root imports") : qualified) + ".\n";
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
            literal(full_name(qualified, *f.json)) + ",\n      [&host](" + params(*f.json, false) + ") { return host." +
            f.cpp_name + "(" + arguments(*f.json) + "); });\n";
  }
  out_ += "  return builder;\n}\n";
  close(inner);
}

void HeaderGenerator::emit_export(std::size_t id) {
  const Json &iface = r_.interface(id);
  if (iface["functions"].empty()) return;
  emit_guest_class(types_.namespace_of_interface(id), pascal(iface["name"].get<std::string>()),
                   r_.qualified_name(iface), functions_of(iface["functions"]), doc_comment(iface, ""));
}

void HeaderGenerator::emit_root_functions(const Json &side, bool imports) {
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

void HeaderGenerator::emit_guest_class(const std::string &inner, const std::string &cls, const std::string &qualified,
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
    out_ += "  std::optional<tairitsu::TypedFunc<" + signature(*f.json, Passing::Viewed) + ">> " + f.cpp_name + "_;\n";
  }
  out_ += "};\n";
  close(inner);
}

}  // namespace tairitsu::wit::cpp
