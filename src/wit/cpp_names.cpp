// The C++ names of WIT names: the keywords generated code avoids, and the
// snake_case and PascalCase spellings.

#include "wit/cpp_names.hpp"

#include <algorithm>
#include <cctype>
#include <iterator>
#include <set>

namespace tairitsu::wit::cpp {

namespace {

// Words a generated name may not be: C++'s keywords, and `self`, `std` and `tairitsu`.
constexpr std::string_view kKeywords[] = {"alignas",
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

bool is_keyword(std::string_view word) {
  static const std::set<std::string_view> keywords(std::begin(kKeywords), std::end(kKeywords));
  return keywords.contains(word);
}

}  // namespace

std::string snake(std::string_view wit) {
  std::string out(wit);
  std::replace(out.begin(), out.end(), '-', '_');
  return is_keyword(out) ? out + "_" : out;
}

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

}  // namespace tairitsu::wit::cpp
