// The text API: one entry point per operation, dispatching on the format.

#include "tairitsu/text.hpp"

#include <algorithm>
#include <cctype>

#include "values/json.hpp"
#include "values/ron.hpp"
#include "values/text_common.hpp"
#include "values/wave.hpp"

namespace tairitsu {

std::string_view to_string(TextFormat format) {
  switch (format) {
    case TextFormat::Wave: return "wave";
    case TextFormat::Ron: return "ron";
    case TextFormat::Json: return "json";
  }
  return "?";
}

std::optional<TextFormat> parse_text_format(std::string_view name) {
  std::string lower(name);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  for (TextFormat f : {TextFormat::Wave, TextFormat::Ron, TextFormat::Json}) {
    if (lower == to_string(f)) {
      return f;
    }
  }
  return std::nullopt;
}

namespace {

// Text is UTF-8 (as Rust's &str always is); anything else is refused up front.
std::optional<Error> check_utf8(std::string_view text, TextFormat format) {
  std::size_t at = detail::utf8_error_offset(text);
  if (at == std::string_view::npos) {
    return std::nullopt;
  }
  std::string name(to_string(format));
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return detail::text_error(name, text, at, "the text is not valid UTF-8");
}

}  // namespace

Result<Value> parse_value(std::string_view text, const Type &type, TextFormat format, const TextLimits &limits) {
  if (text.size() <= limits.max_bytes) {
    if (auto bad = check_utf8(text, format)) {
      return std::move(*bad);
    }
  }
  switch (format) {
    case TextFormat::Wave: return detail::wave::parse(text, type, limits);
    case TextFormat::Ron: return detail::ron::parse(text, type, limits);
    case TextFormat::Json: return detail::json::parse(text, type, limits);
  }
  return Error(ErrorCode::InvalidInput, "unknown text format");
}

Result<std::string> print_value(const Value &value, const Type &type, TextFormat format, PrintOptions options) {
  switch (format) {
    case TextFormat::Wave: return detail::wave::print(value, type, options);
    case TextFormat::Ron: return detail::ron::print(value, type, options);
    case TextFormat::Json: return detail::json::print(value, type, options);
  }
  return Error(ErrorCode::InvalidInput, "unknown text format");
}

Result<std::vector<Value>> parse_arguments(std::string_view text, std::span<const Param> params, TextFormat format,
                                           const TextLimits &limits) {
  if (text.size() <= limits.max_bytes) {
    if (auto bad = check_utf8(text, format)) {
      return std::move(*bad);
    }
  }
  switch (format) {
    case TextFormat::Wave: return detail::wave::parse_params(text, params, limits);
    case TextFormat::Ron: return detail::ron::parse_params(text, params, limits);
    case TextFormat::Json: return detail::json::parse_params(text, params, limits);
  }
  return Error(ErrorCode::InvalidInput, "unknown text format");
}

Result<std::string> print_arguments(std::span<const Value> values, std::span<const Param> params, TextFormat format,
                                    PrintOptions options) {
  switch (format) {
    case TextFormat::Wave: return detail::wave::print_params(values, params, options);
    case TextFormat::Ron: return detail::ron::print_params(values, params, options);
    case TextFormat::Json: return detail::json::print_params(values, params, options);
  }
  return Error(ErrorCode::InvalidInput, "unknown text format");
}

std::string ResourceTable::name_of(const ResourceHandle &handle) {
  handles_.insert_or_assign(handle.id(), handle);
  return "handle-" + std::to_string(handle.id());
}

std::optional<ResourceHandle> ResourceTable::find(std::string_view name) const {
  if (name.substr(0, 7) != "handle-" || name.size() == 7) {
    return std::nullopt;
  }
  uint64_t id = 0;
  for (char c : name.substr(7)) {
    if (c < '0' || c > '9') {
      return std::nullopt;
    }
    id = id * 10 + static_cast<uint64_t>(c - '0');
  }
  auto it = handles_.find(id);
  return it == handles_.end() ? std::nullopt : std::optional<ResourceHandle>(it->second);
}

void ResourceTable::forget(const ResourceHandle &handle) { handles_.erase(handle.id()); }

Result<TextCall> split_call(std::string_view text, TextFormat format) {
  auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  std::size_t begin = 0;
  while (begin < text.size() && is_space(text[begin])) {
    ++begin;
  }
  std::size_t open = text.find('(', begin);
  if (open == std::string_view::npos) {
    return Error(ErrorCode::InvalidInput, "call '" + std::string(text) +
                                              "': expected a function name and arguments in "
                                              "parentheses, such as add(1, 2)");
  }
  std::size_t end = open;
  while (end > begin && is_space(text[end - 1])) {
    --end;
  }
  std::string_view name = text.substr(begin, end - begin);
  if (name.empty() || std::any_of(name.begin(), name.end(), is_space)) {
    return Error(ErrorCode::InvalidInput,
                 "call '" + std::string(text) + "': '" + std::string(name) + "' is not a function name");
  }
  TextCall call{std::string(name), std::string(text.substr(open)), open};
  std::string &arguments = call.arguments;
  if (format == TextFormat::Json && arguments.size() >= 2 && arguments.front() == '(' && arguments.back() == ')') {
    arguments.front() = '[';
    arguments.back() = ']';
  }
  return call;
}

}  // namespace tairitsu
