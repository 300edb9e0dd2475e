#pragma once

/// Component values as text, in three formats.
///
/// Text is always read against the WIT type it must have, so `1` can be a
/// `u8`, an `f64`, or `some(1)` of an `option<u32>`.
///
/// - **WAVE**, the WebAssembly Value Encoding of the `wasm-wave` crate and of
///   `wasmtime run --invoke`: `{x: 1, y: -2}`, `[1, 2]`, `some("a")`, `ok`,
///   `err("no")`, `circle(1.5)`, `{read, write}`. Read and printed exactly as
///   that crate does (the tests compare against vectors it produced).
/// - **RON**, as in the product description: `(x: 1, y: -2)`, `Some("a")`,
///   `None`, `Ok(())`, `Err("no")`, `Circle(1.5)`, `[1, 2]`, `()`, optional
///   struct names (`Point(x: 1, y: 2)`), raw strings `r#"..."#`.
/// - **JSON**, mapped as documented in docs/json.md: records are objects,
///   lists and tuples arrays, options `null` or the value, results
///   `{"ok": v}` / `{"err": v}`, variants `{"case": payload}` or `"case"`.
///
///     auto v = parse_value("{x: 1, y: 2}", point_type);          // WAVE
///     print_value(*v, point_type, TextFormat::Ron);               // "(x: 1, y: 2)"

#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "tairitsu/error.hpp"
#include "tairitsu/type.hpp"
#include "tairitsu/value.hpp"

namespace tairitsu {

enum class TextFormat { Wave, Ron, Json };

/// "wave", "ron", "json".
std::string_view to_string(TextFormat format);
/// The format named `name` (case-insensitive), or nothing.
std::optional<TextFormat> parse_text_format(std::string_view name);

/// Resource handles named in text. Text cannot carry a handle itself, so a
/// handle is printed as an opaque name, "handle-7", recorded here; text that
/// names a handle must name one recorded here. Each container keeps one table
/// for its text calls. Not thread-safe.
class ResourceTable {
 public:
  /// The handle's name, recording the handle.
  std::string name_of(const ResourceHandle &handle);
  /// The handle recorded under `name`, or nothing.
  std::optional<ResourceHandle> find(std::string_view name) const;
  /// Forgets a handle (after it was dropped).
  void forget(const ResourceHandle &handle);
  std::size_t size() const { return handles_.size(); }

 private:
  std::map<uint64_t, ResourceHandle> handles_;
};

struct PrintOptions {
  /// Line breaks and indentation for lists, tuples, records and flags (and
  /// maps in RON and JSON). Pretty WAVE is still WAVE: the crate reads it.
  bool pretty = false;
  /// Where printed resource handles are recorded; without one, printing a handle is `Unsupported`.
  ResourceTable *resources = nullptr;
};

/// Limits that keep hostile text from exhausting the stack or memory, and the
/// handles text may name.
struct TextLimits {
  /// Deepest nesting of aggregates (WAVE's own limit is 100).
  std::size_t max_depth = 100;
  /// Longest accepted input, in bytes.
  std::size_t max_bytes = 64 << 20;
  /// Handles that text may name ("handle-7"); without a table, a handle in text is refused.
  const ResourceTable *resources = nullptr;
};

/// Reads `text` as a value of `type`. Errors are `InvalidInput` with the
/// position ("1:7"), what was expected and what was found.
Result<Value> parse_value(std::string_view text, const Type &type, TextFormat format = TextFormat::Wave,
                          const TextLimits &limits = {});

/// Prints `value`, which must be of `type` (`TypeMismatch` otherwise; resources
/// and async values are `Unsupported`).
Result<std::string> print_value(const Value &value, const Type &type, TextFormat format = TextFormat::Wave,
                                PrintOptions options = {});

/// Reads a parenthesized argument list, "(1, "a")" in WAVE and RON or a JSON
/// array or object, against the parameters. Trailing `option` parameters may
/// be left out, as in WAVE.
Result<std::vector<Value>> parse_arguments(std::string_view text, std::span<const Param> params,
                                           TextFormat format = TextFormat::Wave, const TextLimits &limits = {});

/// Prints values as an argument list in the format's syntax.
Result<std::string> print_arguments(std::span<const Value> values, std::span<const Param> params,
                                    TextFormat format = TextFormat::Wave, PrintOptions options = {});

/// A call expression split into the function's name and its argument text:
/// "add(1, 2)" -> {"add", "(1, 2)"}; "pkg:ns/iface@1.0.0#f()" keeps the whole name.
/// A call expression is name(args) in every format; the argument text is as
/// `format` reads it (JSON reads arguments as an array: "[1, 2]").
/// `arguments_at` is where the argument text starts in `text`.
struct TextCall {
  std::string function;
  std::string arguments;
  std::size_t arguments_at = 0;
};
Result<TextCall> split_call(std::string_view text, TextFormat format = TextFormat::Wave);

}  // namespace tairitsu
