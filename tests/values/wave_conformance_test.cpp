// WAVE conformance: vectors produced by the real wasm-wave crate
// (tests/wave_vectors) must be read and printed exactly as the crate does.
//   print:  parse(text) succeeds and printing gives `text` back;
//   accept: parse(input) succeeds and prints as `canonical`;
//   reject: parse(input) fails.

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "tairitsu/text.hpp"

namespace tairitsu {
namespace {

Type type_from_json(const nlohmann::json &j) {
  const std::string kind = j.at("kind");
  static const std::map<std::string, Type (*)()> primitives = {
      {"bool", Type::boolean}, {"s8", Type::s8},   {"u8", Type::u8},   {"s16", Type::s16},
      {"u16", Type::u16},      {"s32", Type::s32}, {"u32", Type::u32}, {"s64", Type::s64},
      {"u64", Type::u64},      {"f32", Type::f32}, {"f64", Type::f64}, {"char", Type::character},
      {"string", Type::string}};
  if (auto it = primitives.find(kind); it != primitives.end()) return it->second();
  auto optional_type = [](const nlohmann::json &t) -> std::optional<Type> {
    if (t.is_null()) return std::nullopt;
    return type_from_json(t);
  };
  if (kind == "list") return Type::list(type_from_json(j.at("element")));
  if (kind == "option") return Type::option(type_from_json(j.at("element")));
  if (kind == "record") {
    std::vector<NamedType> fields;
    for (const auto &f : j.at("fields")) fields.push_back({f.at("name"), type_from_json(f.at("type"))});
    return Type::record(std::move(fields));
  }
  if (kind == "tuple") {
    std::vector<Type> elements;
    for (const auto &e : j.at("elements")) elements.push_back(type_from_json(e));
    return Type::tuple(std::move(elements));
  }
  if (kind == "variant") {
    std::vector<NamedType> cases;
    for (const auto &c : j.at("cases")) cases.push_back({c.at("name"), optional_type(c.at("type"))});
    return Type::variant(std::move(cases));
  }
  if (kind == "enum") return Type::enumeration(j.at("names").get<std::vector<std::string>>());
  if (kind == "flags") return Type::flags(j.at("names").get<std::vector<std::string>>());
  if (kind == "result") return Type::result(optional_type(j.at("ok")), optional_type(j.at("err")));
  throw std::runtime_error("unknown kind " + kind);
}

TEST(WaveConformance, MatchesTheWasmWaveCrate) {
  std::ifstream in(TAIRITSU_WAVE_VECTORS);
  ASSERT_TRUE(in) << "missing " << TAIRITSU_WAVE_VECTORS;
  std::map<std::string, int> passed;
  std::map<std::string, int> failed;
  std::string line;
  int line_number = 0;
  while (std::getline(in, line)) {
    ++line_number;
    auto j = nlohmann::json::parse(line);
    const std::string kase = j.at("case");
    Type type = type_from_json(j.at("type"));
    std::string problem;
    if (kase == "print" || kase == "accept") {
      std::string input = kase == "print" ? j.at("text") : j.at("input");
      std::string canonical = kase == "print" ? j.at("text") : j.at("canonical");
      auto value = parse_value(input, type);
      if (!value) {
        problem = "refused: " + value.error().message();
      } else {
        auto printed = print_value(*value, type);
        if (!printed) {
          problem = "cannot print: " + printed.error().message();
        } else if (*printed != canonical) {
          problem = "printed " + *printed + ", the crate prints " + canonical;
        }
      }
    } else {
      auto value = parse_value(std::string(j.at("input")), type);
      if (value) {
        auto printed = print_value(*value, type);
        problem =
            "accepted as " + (printed ? *printed : std::string("?")) + "; the crate says " + std::string(j.at("error"));
      }
    }
    if (problem.empty()) {
      passed[kase]++;
    } else {
      failed[kase]++;
      ADD_FAILURE() << "line " << line_number << " (" << kase << ", " << type.to_string() << "): " << problem << "\n  "
                    << line.substr(0, 300);
      if (failed[kase] > 15) break;
    }
  }
  for (const auto &[k, n] : passed) {
    std::cout << "WAVE conformance: " << k << " " << n << " passed, " << failed[k] << " failed\n";
  }
  EXPECT_GT(passed["print"], 1000);
  EXPECT_GT(passed["accept"], 200);
  EXPECT_GT(passed["reject"], 200);
}

}  // namespace
}  // namespace tairitsu
