// ParseJson turns UTF-8 JSON text into a JsonValue with the number rules of spec/sweep.md §2.1 and error texts
// in serde_json's wording ("expected value at line 1 column 1"), which request and payload decoders quote.
// Positions follow serde_json: line is 1-based, column counts the bytes consumed on that line (so the column of
// a byte is its 1-based index; an empty input reports column 0). Nesting deeper than kJsonMaxNestingDepth
// arrays/objects is rejected, so hostile input cannot exhaust the stack. Pure and thread-safe.
#ifndef RIDESWEEP_BASE_JSON_PARSER_H_
#define RIDESWEEP_BASE_JSON_PARSER_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "ridesweep/base/json_value.h"
#include "ridesweep/base/result.h"

namespace ridesweep {

// serde_json's default recursion limit of 128 allows 127 nested arrays/objects.
inline constexpr size_t kJsonMaxNestingDepth = 127;

struct JsonTextPosition {
  size_t line = 1;
  size_t column = 0;
};

// Position after consuming text[0, end_offset): the serde_json convention for error positions.
// REQUIRES: end_offset <= text.size().
JsonTextPosition JsonTextPositionAt(std::string_view text, size_t end_offset);

struct JsonParseError {
  std::string description;  // e.g. "EOF while parsing an object", "trailing characters"
  size_t end_offset = 0;    // bytes consumed when the error was found
  JsonTextPosition position;

  // "<description> at line <L> column <C>".
  std::string ToString() const;
};

// Parses one JSON value surrounded by optional whitespace. On failure returns InvalidArgument with
// JsonParseError::ToString() as the message and, if `error` is not null, fills it.
Result<JsonValue> ParseJson(std::string_view text, JsonParseError* error = nullptr);

}  // namespace ridesweep

#endif  // RIDESWEEP_BASE_JSON_PARSER_H_
