// The serde-like decoding grammar (§1.3): value descriptions, debug quoting and the typed readers. The request-level
// cases live in tests/contract/decoding_grammar.json.
#include <gtest/gtest.h>

#include <string>

#include "decode_messages.h"
#include "ridesweep/base/json_parser.h"
#include "ridesweep/sweep/request.h"
#include "json_literal.h"

namespace ridesweep::sweep {
namespace {

TEST(RequestDecodeTest, DescribesEveryKindLikeSerde) {
  EXPECT_EQ(internal::DescribeUnexpected(J("null")), "null");
  EXPECT_EQ(internal::DescribeUnexpected(J("true")), "boolean `true`");
  EXPECT_EQ(internal::DescribeUnexpected(J("false")), "boolean `false`");
  EXPECT_EQ(internal::DescribeUnexpected(J("5")), "integer `5`");
  EXPECT_EQ(internal::DescribeUnexpected(J("-5")), "integer `-5`");
  EXPECT_EQ(internal::DescribeUnexpected(J("2.5")), "floating point `2.5`");
  EXPECT_EQ(internal::DescribeUnexpected(J("1e16")), "floating point `10000000000000000.0`");
  EXPECT_EQ(internal::DescribeUnexpected(J("\"2\"")), "string \"2\"");
  EXPECT_EQ(internal::DescribeUnexpected(J("[]")), "sequence");
  EXPECT_EQ(internal::DescribeUnexpected(J("{}")), "map");
}

TEST(RequestDecodeTest, DebugQuoteEscapesLikeRust) {
  EXPECT_EQ(internal::DebugQuote("a\"b\\c"), R"("a\"b\\c")");
  EXPECT_EQ(internal::DebugQuote("\n\r\t"), R"("\n\r\t")");
  EXPECT_EQ(internal::DebugQuote(std::string("\0\x01\x1f\x7f", 4)), R"("\0\u{1}\u{1f}\u{7f}")");
  EXPECT_EQ(internal::DebugQuote("\xC2\x85"), R"("\u{85}")");
  EXPECT_EQ(internal::DebugQuote("\xC3\xA9'/"), "\"\xC3\xA9'/\"");
}

TEST(RequestDecodeTest, TypedReaders) {
  uint64_t u = 0;
  EXPECT_FALSE(internal::ReadUsize(J("18446744073709551615"), &u).has_value());
  EXPECT_EQ(u, 18446744073709551615u);
  EXPECT_EQ(internal::ReadUsize(J("-9223372036854775808"), &u),
            "invalid value: integer `-9223372036854775808`, expected usize");
  int64_t i = 0;
  EXPECT_FALSE(internal::ReadI64(J("9223372036854775807"), &i).has_value());
  EXPECT_EQ(i, 9223372036854775807);
  EXPECT_EQ(internal::ReadI64(J("18446744073709551615"), &i),
            "invalid value: integer `18446744073709551615`, expected i64");
  EXPECT_EQ(internal::ReadI64(J("-9223372036854775809"), &i),
            "invalid type: floating point `-9223372036854776000.0`, expected i64");
  std::vector<uint64_t> list;
  EXPECT_EQ(internal::ReadUsizeList(J("[1,2.0]"), &list), "invalid type: floating point `2.0`, expected usize");
  EXPECT_EQ(internal::ReadUsizeList(J("1"), &list), "invalid type: integer `1`, expected a sequence");
}

TEST(RequestDecodeTest, DecodedRequestKeepsRawValuesSortedByName) {
  ApiResult<SweepRequest> r = DecodeSweepRequest(J(
      R"({"run_id":" x ","dimensions":{"b":[1.0,{"z":1,"a":2}],"a":[-0.0]},"shard_size":3,"seed":-7,"failure_injection_shards":[3,1,3]})"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->run_id, " x ");
  ASSERT_EQ(r->dimensions.size(), 2u);
  EXPECT_EQ(r->dimensions[0].name, "a");
  EXPECT_TRUE(r->dimensions[0].values[0].is_double());
  EXPECT_EQ(r->dimensions[1].name, "b");
  EXPECT_TRUE(r->dimensions[1].values[1].is_object());
  EXPECT_FALSE(r->shard_count.has_value());
  EXPECT_EQ(r->shard_size, 3u);
  EXPECT_EQ(r->max_shards, 1000u);
  EXPECT_EQ(r->seed, -7);
  EXPECT_EQ(r->failure_injection_shards, (std::vector<uint64_t>{3, 1, 3}));
}

TEST(RequestDecodeTest, ErrorsAreValidationErrorsWithThePrefix) {
  ApiResult<SweepRequest> r = DecodeSweepRequest(J(R"({"run_id":"x"})"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().status_code, 400);
  EXPECT_EQ(r.error().error, "validation_error");
  EXPECT_EQ(r.error().message, "Malformed request: missing field `dimensions`");
}

}  // namespace
}  // namespace ridesweep::sweep
