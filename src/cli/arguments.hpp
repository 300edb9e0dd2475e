#pragma once

// The values the `tairitsu` command reads from its arguments: sizes,
// durations, counts, directory grants and environment entries. Each parser
// checks the range of what it reads and says what was wrong, naming the
// option and the text.

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "tairitsu/container.hpp"
#include "tairitsu/error.hpp"

namespace tairitsu::cli {

/// "64M", "1G", "65536", "2T" -> bytes (K, M, G, T are powers of 1024).
/// At least 1; at most 2^48 bytes.
Result<uint64_t> parse_size(std::string_view option, std::string_view text);

/// "5s", "250ms", "2m", "1h" -> milliseconds. At least 1 ms; at most
/// 10^11 ms (about three years).
Result<std::chrono::milliseconds> parse_duration(std::string_view option, std::string_view text);

/// A decimal count from 1 to `max`.
Result<uint64_t> parse_count(std::string_view option, std::string_view text, uint64_t max);

/// `--dir HOST[::GUEST][:MODE]`: MODE is `ro` or `rw` (the default). The mode
/// is whatever follows the last ':' of the guest path (or of the host path
/// when there is no "::"), so a path that contains ':' is written with its
/// mode at the end (`/a:b:rw`), and any other mode is refused.
Result<Preopen> parse_dir(std::string_view text);

/// `-e KEY=VALUE`: a non-empty key without '=' or NUL.
Result<std::pair<std::string, std::string>> parse_env(std::string_view text);

/// `text` as it can be shown on a terminal: valid UTF-8 as is (with newlines
/// and tabs), every other byte and control character as `\xNN`.
std::string printable(std::string_view text);

}  // namespace tairitsu::cli
