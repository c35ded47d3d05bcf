// Loading of the shared golden vectors (../shared/spec/golden.json) and of tests/contract/*.json for the
// data-driven contract tests. Files are parsed with the system parser, as golden.json asks.
#ifndef RIDESWEEP_SWEEP_TESTS_GOLDEN_DATA_H_
#define RIDESWEEP_SWEEP_TESTS_GOLDEN_DATA_H_

#include <string>
#include <vector>

#include "ridesweep/base/json_value.h"

namespace ridesweep::sweep::testing {

std::string ReadFileOrDie(const std::string& path);

// The parsed spec/golden.json (cached).
const JsonValue& Golden();

// Paths of tests/contract/*.json, sorted.
std::vector<std::string> ContractCaseFiles();

// A request text from a case: `input_request_text` verbatim, or `input_request_template` expanded
// ({"range":[a,b]} → a, a+1, …, b-1) and written canonically.
std::string RequestTextOf(const JsonValue& test_case);

// Field accessors that fail the current test (and return a neutral value) when the field is missing.
const JsonValue& Field(const JsonValue& object, std::string_view name);
std::string StringField(const JsonValue& object, std::string_view name);
uint64_t UnsignedField(const JsonValue& object, std::string_view name);

// [[a,b],…] → pairs.
std::vector<std::pair<uint64_t, uint64_t>> RangesOf(const JsonValue& array);

}  // namespace ridesweep::sweep::testing

#endif  // RIDESWEEP_SWEEP_TESTS_GOLDEN_DATA_H_
