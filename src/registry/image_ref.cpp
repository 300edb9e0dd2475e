// Image references: parsed strictly, so that no reference can name a path.

#include "tairitsu/image_ref.hpp"

#include <algorithm>

namespace tairitsu {

namespace {

constexpr std::size_t kMaxNameLength = 255;
constexpr std::size_t kMaxTagLength = 128;

bool is_alnum_lower(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

// One path component of a name: lowercase letters and digits first and last,
// '.', '_' or '-' between them, never "..".
bool valid_component(std::string_view c) {
  if (c.empty() || !is_alnum_lower(c.front()) || !is_alnum_lower(c.back())) return false;
  for (std::size_t i = 0; i < c.size(); ++i) {
    bool sep = c[i] == '.' || c[i] == '_' || c[i] == '-';
    if (!is_alnum_lower(c[i]) && !sep) return false;
    if (c[i] == '.' && c[i - 1] == '.') return false;
  }
  return true;
}

bool valid_tag_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
}

std::string shown(std::string_view text) {
  return text.size() <= 80 ? std::string(text) : std::string(text.substr(0, 77)) + "...";
}

}  // namespace

Result<ImageRef> ImageRef::parse(std::string_view text) {
  auto invalid = [&](const std::string &why) {
    return Error(ErrorCode::InvalidInput, "image reference '" + shown(text) + "': " + why);
  };
  ImageRef ref;
  // The tag follows the last ':' after the last '/'.
  std::size_t slash = text.rfind('/');
  std::size_t colon = text.rfind(':');
  if (colon != std::string_view::npos && (slash == std::string_view::npos || colon > slash)) {
    std::string_view tag = text.substr(colon + 1);
    if (tag.empty() || tag.size() > kMaxTagLength || tag.front() == '.' || tag.front() == '-' ||
        !std::all_of(tag.begin(), tag.end(), valid_tag_char)) {
      return invalid("the tag must be 1 to 128 letters, digits, '.', '_' or '-', not starting with '.' or '-'");
    }
    ref.tag = std::string(tag);
    text = text.substr(0, colon);
  }
  if (text.empty() || text.size() > kMaxNameLength) {
    return invalid("the name must be 1 to 255 characters");
  }
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('/', start);
    std::string_view component = text.substr(start, end == std::string_view::npos ? text.npos : end - start);
    if (!valid_component(component)) {
      return invalid(
          "the name must be lowercase letters and digits, separated by single '.', '_' or '-', "
          "in parts joined by '/' (no empty part, no '..', no leading '/')");
    }
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  ref.name = std::string(text);
  return ref;
}

}  // namespace tairitsu
