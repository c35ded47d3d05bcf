// The serde-style message grammar of spec/sweep.md §1.3, shared by the request decoder and the shard-payload
// decoder: `invalid type: <found>, expected <wanted>`, `invalid value: integer `-1`, expected usize`,
// `missing field `x``. Private to the sweep layer.
#ifndef RIDESWEEP_SWEEP_DECODE_MESSAGES_H_
#define RIDESWEEP_SWEEP_DECODE_MESSAGES_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ridesweep/base/json_value.h"

namespace ridesweep::sweep::internal {

// Expected-type phrases (DO NOT CHANGE).
inline constexpr std::string_view kExpectString = "a string";
inline constexpr std::string_view kExpectMap = "a map";
inline constexpr std::string_view kExpectSequence = "a sequence";
inline constexpr std::string_view kExpectUsize = "usize";
inline constexpr std::string_view kExpectI64 = "i64";

// Rust's {:?} of a str: "…" with \" \\ \n \r \t \0 and \u{…} for other control characters.
std::string DebugQuote(std::string_view s);

// `null`, ``boolean `true` ``, ``integer `5` ``, ``floating point `2.5` ``, `string "2"`, `sequence`, `map`.
std::string DescribeUnexpected(const JsonValue& value);

// invalid type: <found>, expected <wanted>
std::string InvalidType(const JsonValue& found, std::string_view wanted);
// missing field `<name>`
std::string MissingField(std::string_view name);

// Typed readers: on failure they return the message (without any prefix or position).
std::optional<std::string> ReadString(const JsonValue& v, std::string* out);
std::optional<std::string> ReadUsize(const JsonValue& v, uint64_t* out);
std::optional<std::string> ReadI64(const JsonValue& v, int64_t* out);
// A sequence of usize; element errors are reported as for single values.
std::optional<std::string> ReadUsizeList(const JsonValue& v, std::vector<uint64_t>* out);

}  // namespace ridesweep::sweep::internal

#endif  // RIDESWEEP_SWEEP_DECODE_MESSAGES_H_
