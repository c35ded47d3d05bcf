// J("…"): a JsonValue from JSON text in a test (a failed parse fails the test and yields null).
#ifndef RIDESWEEP_SWEEP_TESTS_JSON_LITERAL_H_
#define RIDESWEEP_SWEEP_TESTS_JSON_LITERAL_H_

#include <gtest/gtest.h>

#include <string_view>

#include "ridesweep/base/json_parser.h"

namespace ridesweep::sweep {

inline JsonValue J(std::string_view text) {
  Result<JsonValue> v = ParseJson(text);
  EXPECT_TRUE(v.ok()) << text;
  return v.ok() ? *v : JsonValue();
}

}  // namespace ridesweep::sweep

#endif  // RIDESWEEP_SWEEP_TESTS_JSON_LITERAL_H_
