#pragma once

// The generator behind generate_header: walks a resolved world and writes one
// C++ header. Its parts live in three files: bindgen.cpp (the walk over the
// world, its interfaces and their namespaces), type_declarations.cpp (structs,
// enum classes, variants and resource tags with their traits) and
// interface_classes.cpp (the host's and the guest's classes for functions).
//
//   std::string header = cpp::HeaderGenerator(resolve, "my::plugin").run();

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "wit/cpp_types.hpp"
#include "wit/resolve.hpp"

namespace tairitsu::wit::cpp {

/// One header generated from one world. Holds a reference: the Resolve must
/// outlive it. Used once: `run` returns the header or throws Unsupported (or
/// a JSON error for malformed input).
class HeaderGenerator {
 public:
  HeaderGenerator(const Resolve &resolve, std::string ns) : r_(resolve), types_(resolve), ns_(std::move(ns)) {}

  /// The header's text.
  std::string run();

 private:
  // --- the world (bindgen.cpp) -----------------------------------------------

  void collect_interfaces(const Json &side);
  /// An interface and, first, those whose types it uses.
  void add_interface(std::size_t id);
  void check_namespaces() const;

  void open(const std::string &inner) { out_ += "\nnamespace " + ns_ + (inner.empty() ? "" : "::" + inner) + " {\n"; }
  void close(const std::string &inner) {
    out_ += "}  // namespace " + ns_ + (inner.empty() ? "" : "::" + inner) + "\n";
  }

  /// `"text"`: a C++ string literal.
  static std::string literal(std::string_view s);
  /// `/// text` lines for a docs object, indented.
  static std::string doc_comment(const Json &item, std::string_view indent);

  // --- types (type_declarations.cpp) -----------------------------------------

  void emit_types(const Json &iface, const std::string &inner);
  void emit_world_types(const Json &world);
  void emit_type_block(std::vector<std::size_t> ids, const std::string &inner, const std::string &title);
  /// A struct for a record (members of their types) or for flags (`bool`
  /// members); returns the trait that names its members.
  std::string emit_struct(const std::string &name, const std::string &full, const Json &members,
                          const std::string &trait);
  /// Declares one named type; returns its trait specializations.
  std::string emit_type(const Json &def, const std::string &inner);

  // --- functions (interface_classes.cpp) -------------------------------------

  struct Function {
    const Json *json;
    std::string cpp_name;
  };

  /// The C++ method name: "describe", "accumulator_new", "accumulator_add".
  static std::string method_name(const Json &function);
  std::vector<Function> functions_of(const Json &functions) const;
  std::string result_type(const Json &function) const;
  /// "int32_t(std::string_view, const Point &)" for TypedFunc, or the host form.
  std::string signature(const Json &function, Passing passing) const;
  std::string params(const Json &function, bool for_guest_call) const;
  /// Arguments passed on, moved: owned handles must be, the rest may be.
  std::string arguments(const Json &function) const;
  std::string full_name(const std::string &iface, const Json &function) const;

  // Imports: the host implements.
  void emit_import(std::size_t id);
  void emit_host_class(const std::string &inner, const std::string &cls, const std::string &qualified,
                       const std::vector<Function> &functions, const std::string &docs);

  // Exports: the guest implements.
  void emit_export(std::size_t id);
  void emit_root_functions(const Json &side, bool imports);
  void emit_guest_class(const std::string &inner, const std::string &cls, const std::string &qualified,
                        const std::vector<Function> &functions, const std::string &docs);

  const Resolve &r_;
  TypeMapping types_;
  std::string ns_;
  std::string world_name_;
  std::vector<std::size_t> interfaces_;
  std::string out_;
};

}  // namespace tairitsu::wit::cpp
