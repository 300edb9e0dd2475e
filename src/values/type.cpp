#include "tairitsu/type.hpp"

#include <algorithm>

namespace tairitsu {

struct Type::Data {
  std::vector<Type> types = {};         // list/option/map: [element] or [key, value]; tuple: elements
  std::vector<NamedType> members = {};  // record fields, variant cases
  std::vector<std::string> names = {};  // enum, flags
  std::optional<Type> ok = {};          // result ok, future/stream payload
  std::optional<Type> err = {};         // result err
  std::string resource = {};            // own/borrow
};

namespace {

const std::vector<Type> kNoTypes;
const std::vector<NamedType> kNoMembers;
const std::vector<std::string> kNoNames;
const std::optional<Type> kNoType;
const std::string kNoName;

std::string join_names(const std::vector<std::string> &names) {
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    out += (i ? ", " : "") + names[i];
  }
  return out;
}

}  // namespace

std::string_view to_string(TypeKind kind) {
  switch (kind) {
    case TypeKind::Bool: return "bool";
    case TypeKind::S8: return "s8";
    case TypeKind::U8: return "u8";
    case TypeKind::S16: return "s16";
    case TypeKind::U16: return "u16";
    case TypeKind::S32: return "s32";
    case TypeKind::U32: return "u32";
    case TypeKind::S64: return "s64";
    case TypeKind::U64: return "u64";
    case TypeKind::F32: return "f32";
    case TypeKind::F64: return "f64";
    case TypeKind::Char: return "char";
    case TypeKind::String: return "string";
    case TypeKind::List: return "list";
    case TypeKind::Record: return "record";
    case TypeKind::Tuple: return "tuple";
    case TypeKind::Variant: return "variant";
    case TypeKind::Enum: return "enum";
    case TypeKind::Option: return "option";
    case TypeKind::Result: return "result";
    case TypeKind::Flags: return "flags";
    case TypeKind::Own: return "own";
    case TypeKind::Borrow: return "borrow";
    case TypeKind::Map: return "map";
    case TypeKind::Future: return "future";
    case TypeKind::Stream: return "stream";
    case TypeKind::ErrorContext: return "error-context";
  }
  return "?";
}

Type::Type() : kind_(TypeKind::Bool) {}
Type::Type(TypeKind kind, std::shared_ptr<const Data> data) : kind_(kind), data_(std::move(data)) {}

Type Type::boolean() { return Type(TypeKind::Bool, nullptr); }
Type Type::s8() { return Type(TypeKind::S8, nullptr); }
Type Type::u8() { return Type(TypeKind::U8, nullptr); }
Type Type::s16() { return Type(TypeKind::S16, nullptr); }
Type Type::u16() { return Type(TypeKind::U16, nullptr); }
Type Type::s32() { return Type(TypeKind::S32, nullptr); }
Type Type::u32() { return Type(TypeKind::U32, nullptr); }
Type Type::s64() { return Type(TypeKind::S64, nullptr); }
Type Type::u64() { return Type(TypeKind::U64, nullptr); }
Type Type::f32() { return Type(TypeKind::F32, nullptr); }
Type Type::f64() { return Type(TypeKind::F64, nullptr); }
Type Type::character() { return Type(TypeKind::Char, nullptr); }
Type Type::string() { return Type(TypeKind::String, nullptr); }
Type Type::error_context() { return Type(TypeKind::ErrorContext, nullptr); }

Type Type::list(Type element) {
  return Type(TypeKind::List, std::make_shared<Data>(Data{.types = {std::move(element)}}));
}
Type Type::record(std::vector<NamedType> fields) {
  return Type(TypeKind::Record, std::make_shared<Data>(Data{.members = std::move(fields)}));
}
Type Type::tuple(std::vector<Type> elements) {
  return Type(TypeKind::Tuple, std::make_shared<Data>(Data{.types = std::move(elements)}));
}
Type Type::variant(std::vector<NamedType> cases) {
  return Type(TypeKind::Variant, std::make_shared<Data>(Data{.members = std::move(cases)}));
}
Type Type::enumeration(std::vector<std::string> names) {
  return Type(TypeKind::Enum, std::make_shared<Data>(Data{.names = std::move(names)}));
}
Type Type::option(Type some) {
  return Type(TypeKind::Option, std::make_shared<Data>(Data{.types = {std::move(some)}}));
}
Type Type::result(std::optional<Type> ok, std::optional<Type> err) {
  return Type(TypeKind::Result, std::make_shared<Data>(Data{.ok = std::move(ok), .err = std::move(err)}));
}
Type Type::flags(std::vector<std::string> names) {
  return Type(TypeKind::Flags, std::make_shared<Data>(Data{.names = std::move(names)}));
}
Type Type::own(std::string resource_name) {
  return Type(TypeKind::Own, std::make_shared<Data>(Data{.resource = std::move(resource_name)}));
}
Type Type::borrow(std::string resource_name) {
  return Type(TypeKind::Borrow, std::make_shared<Data>(Data{.resource = std::move(resource_name)}));
}
Type Type::map(Type key, Type value) {
  return Type(TypeKind::Map, std::make_shared<Data>(Data{.types = {std::move(key), std::move(value)}}));
}
Type Type::future(std::optional<Type> payload) {
  return Type(TypeKind::Future, std::make_shared<Data>(Data{.ok = std::move(payload)}));
}
Type Type::stream(std::optional<Type> payload) {
  return Type(TypeKind::Stream, std::make_shared<Data>(Data{.ok = std::move(payload)}));
}

const Type &Type::element() const { return data_->types.at(0); }
const Type &Type::map_value() const { return data_->types.at(1); }
const std::vector<NamedType> &Type::members() const { return data_ ? data_->members : kNoMembers; }
const std::vector<Type> &Type::elements() const { return data_ && kind_ == TypeKind::Tuple ? data_->types : kNoTypes; }
const std::vector<std::string> &Type::names() const { return data_ ? data_->names : kNoNames; }
const std::optional<Type> &Type::ok_type() const { return data_ ? data_->ok : kNoType; }
const std::optional<Type> &Type::err_type() const { return data_ ? data_->err : kNoType; }
const std::string &Type::resource_name() const { return data_ ? data_->resource : kNoName; }

bool Type::contains_async_value() const {
  switch (kind_) {
    case TypeKind::Future:
    case TypeKind::Stream:
    case TypeKind::ErrorContext: return true;
    default: break;
  }
  if (!data_) {
    return false;
  }
  auto any_async = [](const std::optional<Type> &t) { return t && t->contains_async_value(); };
  return std::any_of(data_->types.begin(), data_->types.end(),
                     [](const Type &t) { return t.contains_async_value(); }) ||
         std::any_of(data_->members.begin(), data_->members.end(),
                     [&](const NamedType &m) { return any_async(m.type); }) ||
         any_async(data_->ok) || any_async(data_->err);
}

std::string Type::to_string() const {
  auto optional_type = [](const std::optional<Type> &t) { return t ? t->to_string() : "_"; };
  switch (kind_) {
    case TypeKind::List: return "list<" + element().to_string() + ">";
    case TypeKind::Option: return "option<" + element().to_string() + ">";
    case TypeKind::Map: return "map<" + element().to_string() + ", " + map_value().to_string() + ">";
    case TypeKind::Tuple: {
      std::string out = "tuple<";
      for (std::size_t i = 0; i < elements().size(); ++i) {
        out += (i ? ", " : "") + elements()[i].to_string();
      }
      return out + ">";
    }
    case TypeKind::Record: {
      std::string out = "record { ";
      for (std::size_t i = 0; i < members().size(); ++i) {
        out += (i ? ", " : "") + members()[i].name + ": " + members()[i].type->to_string();
      }
      return out + " }";
    }
    case TypeKind::Variant: {
      std::string out = "variant { ";
      for (std::size_t i = 0; i < members().size(); ++i) {
        out += (i ? ", " : "") + members()[i].name;
        if (members()[i].type) {
          out += "(" + members()[i].type->to_string() + ")";
        }
      }
      return out + " }";
    }
    case TypeKind::Enum: return "enum { " + join_names(names()) + " }";
    case TypeKind::Flags: return "flags { " + join_names(names()) + " }";
    case TypeKind::Result:
      if (!ok_type() && !err_type()) {
        return "result";
      }
      if (!err_type()) {
        return "result<" + ok_type()->to_string() + ">";
      }
      return "result<" + optional_type(ok_type()) + ", " + err_type()->to_string() + ">";
    case TypeKind::Own: return "own<" + resource_name() + ">";
    case TypeKind::Borrow: return "borrow<" + resource_name() + ">";
    case TypeKind::Future:
    case TypeKind::Stream:
      return ok_type() ? std::string(tairitsu::to_string(kind_)) + "<" + ok_type()->to_string() + ">"
                       : std::string(tairitsu::to_string(kind_));
    default: return std::string(tairitsu::to_string(kind_));
  }
}

bool operator==(const Type &a, const Type &b) {
  if (a.kind_ != b.kind_) {
    return false;
  }
  if (a.data_ == b.data_) {
    return true;
  }
  if (!a.data_ || !b.data_) {
    return false;
  }
  return a.data_->types == b.data_->types && a.data_->members == b.data_->members && a.data_->names == b.data_->names &&
         a.data_->ok == b.data_->ok && a.data_->err == b.data_->err && a.data_->resource == b.data_->resource;
}

bool FunctionType::contains_async_value() const {
  return std::any_of(params.begin(), params.end(), [](const Param &p) { return p.type.contains_async_value(); }) ||
         (result && result->contains_async_value());
}

std::string FunctionType::to_string() const {
  std::string out = is_async ? "async func(" : "func(";
  for (std::size_t i = 0; i < params.size(); ++i) {
    out += (i ? ", " : "") + params[i].name + ": " + params[i].type.to_string();
  }
  out += ")";
  if (result) {
    out += " -> " + result->to_string();
  }
  return out;
}

}  // namespace tairitsu
