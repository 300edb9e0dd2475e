#pragma once

// What the JSON and RON readers share: the walk from a type to the member
// function that reads that family of kinds.
//
//   class Reader : public TextReader<Reader> { ... boolean, integer, record, ... };
//   std::optional<Value> v = read_kind(type);

#include <optional>

#include "tairitsu/type.hpp"
#include "tairitsu/value.hpp"

namespace tairitsu::detail {

/// A text format's reader. `Format` derives from it and supplies, each
/// `std::optional<Value> (const Type &)` (nothing after recording a failure):
/// `boolean`, `integer`, `floating`, `character`, `string`, `list_or_tuple`,
/// `record`, `variant`, `enumeration`, `flags`, `option`, `result`, `map`,
/// `resource` (own and borrow handles) and `no_form` (every other kind).
template <typename Format>
class TextReader {
 protected:
  /// A value of `type`, read by the member function for its family of kinds.
  std::optional<Value> read_kind(const Type &type) {
    Format &f = static_cast<Format &>(*this);
    switch (type.kind()) {
      case TypeKind::Bool: return f.boolean(type);
      case TypeKind::S8:
      case TypeKind::S16:
      case TypeKind::S32:
      case TypeKind::S64:
      case TypeKind::U8:
      case TypeKind::U16:
      case TypeKind::U32:
      case TypeKind::U64: return f.integer(type);
      case TypeKind::F32:
      case TypeKind::F64: return f.floating(type);
      case TypeKind::Char: return f.character(type);
      case TypeKind::String: return f.string(type);
      case TypeKind::List:
      case TypeKind::Tuple: return f.list_or_tuple(type);
      case TypeKind::Record: return f.record(type);
      case TypeKind::Variant: return f.variant(type);
      case TypeKind::Enum: return f.enumeration(type);
      case TypeKind::Flags: return f.flags(type);
      case TypeKind::Option: return f.option(type);
      case TypeKind::Result: return f.result(type);
      case TypeKind::Map: return f.map(type);
      case TypeKind::Own:
      case TypeKind::Borrow: return f.resource(type);
      default: return f.no_form(type);
    }
  }
};

}  // namespace tairitsu::detail
