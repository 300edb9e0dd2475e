#include "cli/arguments.hpp"

#include <cstdio>

namespace tairitsu::cli {

namespace {

constexpr uint64_t kMaxSize = uint64_t{1} << 48;
constexpr uint64_t kMaxMilliseconds = 100'000'000'000;

Error bad(std::string_view option, std::string_view text, const std::string &why) {
  return Error(ErrorCode::InvalidInput, std::string(option) + " '" + printable(text) + "': " + why);
}

// Leading decimal digits as a number; nothing when there are none or they overflow.
struct Digits {
  uint64_t value = 0;
  std::size_t length = 0;
  bool overflow = false;
};

Digits read_digits(std::string_view text) {
  Digits d;
  while (d.length < text.size() && text[d.length] >= '0' && text[d.length] <= '9') {
    uint64_t digit = static_cast<uint64_t>(text[d.length] - '0');
    if (d.value > (UINT64_MAX - digit) / 10)
      d.overflow = true;
    else
      d.value = d.value * 10 + digit;
    ++d.length;
  }
  return d;
}

}  // namespace

Result<uint64_t> parse_size(std::string_view option, std::string_view text) {
  Digits d = read_digits(text);
  std::string_view unit = text.substr(d.length);
  if (d.length == 0) return bad(option, text, "wants a size such as 64M, 1G or 65536");
  uint64_t scale = 1;
  if (unit == "K" || unit == "k")
    scale = uint64_t{1} << 10;
  else if (unit == "M" || unit == "m")
    scale = uint64_t{1} << 20;
  else if (unit == "G" || unit == "g")
    scale = uint64_t{1} << 30;
  else if (unit == "T" || unit == "t")
    scale = uint64_t{1} << 40;
  else if (!unit.empty())
    return bad(option, text, "the unit must be K, M, G or T (powers of 1024), or none for bytes");
  if (d.value == 0) return bad(option, text, "must be at least 1 byte (leave the option out for no limit)");
  if (d.overflow || d.value > kMaxSize / scale) return bad(option, text, "is larger than the most allowed, 256T");
  return d.value * scale;
}

Result<std::chrono::milliseconds> parse_duration(std::string_view option, std::string_view text) {
  Digits d = read_digits(text);
  std::string_view unit = text.substr(d.length);
  if (d.length == 0) return bad(option, text, "wants a duration such as 5s, 500ms, 2m or 1h");
  uint64_t scale = 0;
  if (unit == "ms")
    scale = 1;
  else if (unit == "s")
    scale = 1000;
  else if (unit == "m")
    scale = 60'000;
  else if (unit == "h")
    scale = 3'600'000;
  else
    return bad(option, text, "the unit must be ms, s, m or h");
  if (d.value == 0) return bad(option, text, "must be at least 1ms (leave the option out for no limit)");
  if (d.overflow || d.value > kMaxMilliseconds / scale) {
    return bad(option, text, "is longer than the most allowed, 100000000000ms (about three years)");
  }
  return std::chrono::milliseconds(static_cast<int64_t>(d.value * scale));
}

Result<uint64_t> parse_count(std::string_view option, std::string_view text, uint64_t max) {
  Digits d = read_digits(text);
  if (d.length == 0 || d.length != text.size()) return bad(option, text, "wants a whole number");
  if (d.value == 0) return bad(option, text, "must be at least 1 (leave the option out for no limit)");
  if (d.overflow || d.value > max) return bad(option, text, "is larger than the most allowed, " + std::to_string(max));
  return d.value;
}

Result<Preopen> parse_dir(std::string_view text) {
  Preopen p;
  p.access = DirAccess::ReadWrite;
  std::size_t sep = text.find("::");
  std::string_view host = sep == std::string_view::npos ? text : text.substr(0, sep);
  std::string_view guest = sep == std::string_view::npos ? std::string_view() : text.substr(sep + 2);
  std::string_view &moded = sep == std::string_view::npos ? host : guest;
  if (std::size_t colon = moded.rfind(':'); colon != std::string_view::npos) {
    std::string_view mode = moded.substr(colon + 1);
    if (mode == "ro")
      p.access = DirAccess::ReadOnly;
    else if (mode != "rw") {
      return bad("--dir", text,
                 "unknown access mode '" + printable(mode) +
                     "'; the modes are ro and rw (a path containing ':' is written with its mode at "
                     "the end, such as /data:2024:ro)");
    }
    moded = moded.substr(0, colon);
  }
  if (host.empty()) return bad("--dir", text, "the host directory is empty");
  if (sep != std::string_view::npos && guest.empty()) return bad("--dir", text, "the guest path is empty");
  p.host_path = std::string(host);
  p.guest_path = std::string(sep == std::string_view::npos ? host : guest);
  return p;
}

Result<std::pair<std::string, std::string>> parse_env(std::string_view text) {
  std::size_t eq = text.find('=');
  if (eq == std::string_view::npos) return bad("-e", text, "wants KEY=VALUE");
  if (eq == 0) return bad("-e", text, "the key is empty");
  if (text.find('\0') != std::string_view::npos) return bad("-e", text, "contains a NUL byte");
  return std::pair{std::string(text.substr(0, eq)), std::string(text.substr(eq + 1))};
}

std::string printable(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  auto escape = [&](unsigned char c) {
    char buf[5];
    std::snprintf(buf, sizeof buf, "\\x%02x", c);
    out += buf;
  };
  std::size_t i = 0;
  while (i < text.size()) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f)
        escape(c);
      else
        out += static_cast<char>(c);
      ++i;
      continue;
    }
    // The length of a well-formed sequence starting here, or 0.
    std::size_t n = c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
    bool ok = n != 0 && i + n <= text.size();
    for (std::size_t k = 1; ok && k < n; ++k) {
      auto b = static_cast<unsigned char>(text[i + k]);
      ok = (b & 0xc0) == 0x80;
      if (k == 1) {
        if (c == 0xe0) ok = ok && b >= 0xa0;  // no overlong forms
        if (c == 0xed) ok = ok && b < 0xa0;   // no surrogates
        if (c == 0xf0) ok = ok && b >= 0x90;
        if (c == 0xf4) ok = ok && b < 0x90;  // nothing past U+10FFFF
      }
    }
    if (ok) {
      out.append(text.substr(i, n));
      i += n;
    } else {
      escape(c);
      ++i;
    }
  }
  return out;
}

}  // namespace tairitsu::cli
