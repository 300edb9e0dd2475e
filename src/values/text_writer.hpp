#pragma once

// What the JSON and RON writers share: the walk from a value and its type to
// the member function that writes that family of kinds, the text written so
// far, and the errors a failed write becomes.
//
//   class Writer : public TextWriter<Writer> { ... write_scalar, write_record, ... };
//   return write_text<Writer>(value, type, options, "JSON");

#include <string>
#include <string_view>
#include <utility>

#include "values/text_common.hpp"

namespace tairitsu::detail {

/// A text format's writer. `Format` derives from it and supplies
/// `write_handle(name)`, `write_scalar`, `write_sequence` (lists and tuples),
/// `write_record`, `write_variant`, `write_enum`, `write_flags`,
/// `write_option`, `write_result` and `write_map`, each `bool (const Value &,
/// const Type &)`: false when the value does not have the type. Owns its text.
template <typename Format>
class TextWriter {
 public:
  TextWriter(bool pretty, ResourceTable *resources) : pretty_(pretty), resources_(resources) {}

  bool write(const Value &v, const Type &t) {
    if (t.kind() == TypeKind::Own || t.kind() == TypeKind::Borrow) {
      auto name = resource_to_text(v, resources_);
      if (!name) {
        unsupported_ = true;
        return false;
      }
      self().write_handle(*name);
      return true;
    }
    if (t.kind() != v.kind()) {
      return false;
    }
    switch (t.kind()) {
      case TypeKind::Bool:
      case TypeKind::S8:
      case TypeKind::U8:
      case TypeKind::S16:
      case TypeKind::U16:
      case TypeKind::S32:
      case TypeKind::U32:
      case TypeKind::S64:
      case TypeKind::U64:
      case TypeKind::F32:
      case TypeKind::F64:
      case TypeKind::Char:
      case TypeKind::String: return self().write_scalar(v, t);
      case TypeKind::List:
      case TypeKind::Tuple: return self().write_sequence(v, t);
      case TypeKind::Record: return self().write_record(v, t);
      case TypeKind::Variant: return self().write_variant(v, t);
      case TypeKind::Enum: return self().write_enum(v, t);
      case TypeKind::Flags: return self().write_flags(v, t);
      case TypeKind::Option: return self().write_option(v, t);
      case TypeKind::Result: return self().write_result(v, t);
      case TypeKind::Map: return self().write_map(v, t);
      default: unsupported_ = true; return false;
    }
  }

  std::string take() { return std::move(out_); }
  bool unsupported() const { return unsupported_; }

 protected:
  bool pretty_;
  std::size_t indent_ = 0;
  std::string out_;

 private:
  Format &self() { return static_cast<Format &>(*this); }

  ResourceTable *resources_;
  bool unsupported_ = false;
};

/// `value` written by `Writer`; `Unsupported` for a type the format (named
/// `format` in the message) has no form for, `TypeMismatch` when the value
/// does not have the type.
template <typename Writer>
Result<std::string> write_text(const Value &value, const Type &type, PrintOptions options, std::string_view format) {
  Writer w(options.pretty, options.resources);
  if (!w.write(value, type)) {
    if (w.unsupported()) {
      return Error(ErrorCode::Unsupported,
                   "values of type " + type.to_string() + " have no " + std::string(format) + " form");
    }
    return Error(ErrorCode::TypeMismatch, "cannot print " + value.to_string() + " as " + type.to_string());
  }
  return w.take();
}

}  // namespace tairitsu::detail
