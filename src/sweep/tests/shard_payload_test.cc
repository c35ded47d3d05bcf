// Shard payloads round-trip in both forms; the decoder rejects bad bodies with the exact worker texts and
// positions; the encoder switches the whole run to the reference form when an inline body would be too big (T7).
#include "ridesweep/sweep/shard_payload.h"

#include <gtest/gtest.h>

#include <string>

#include "ridesweep/base/json_parser.h"
#include "ridesweep/sweep/request_validation.h"
#include "json_literal.h"

namespace ridesweep::sweep {
namespace {

ShardPayload InlinePayload() {
  ShardPayload p;
  p.run_id = "r-1";
  p.run_date = "2026-02-14";
  p.dimensions = Dimensions{{"num_riders", {J("1"), J("2")}}, {"surge_enabled", {J("true")}}};
  p.total_points = 2;
  p.shard_id = 1;
  p.start_index = 1;
  p.end_index_exclusive = 2;
  p.seed = -3;
  p.failure_injection_shards = {1, 4};
  return p;
}

std::string DecodeError(std::string_view body) {
  Result<ShardPayload> r = DecodeShardPayload(body, "2026-03-01");
  EXPECT_FALSE(r.ok()) << body;
  return r.ok() ? "" : r.status().message();
}

TEST(ShardPayloadTest, InlineRoundTrip) {
  const std::string body = EncodeShardPayload(InlinePayload());
  EXPECT_EQ(body,
            R"({"run_id":"r-1","run_date":"2026-02-14","dimensions":{"num_riders":[1,2],"surge_enabled":[true]},)"
            R"("total_points":2,"shard_id":1,"start_index":1,"end_index_exclusive":2,"seed":-3,)"
            R"("failure_injection_shards":[1,4]})");
  Result<ShardPayload> decoded = DecodeShardPayload(body, "2026-03-01");
  ASSERT_TRUE(decoded.ok()) << decoded.status().message();
  EXPECT_FALSE(decoded->is_reference());
  EXPECT_TRUE(decoded->ShouldInjectFailure());
  EXPECT_EQ(EncodeShardPayload(*decoded), body);
}

TEST(ShardPayloadTest, ReferenceRoundTrip) {
  ShardPayload p = InlinePayload();
  p.dimensions.reset();
  p.failure_injection_shards = {};
  p.request_key = "outcomes/runs/run_id=r-1/manifest.json";
  p.request_fingerprint = "ab";
  const std::string body = EncodeShardPayload(p);
  EXPECT_EQ(body,
            R"({"run_id":"r-1","run_date":"2026-02-14","total_points":2,"shard_id":1,"start_index":1,)"
            R"("end_index_exclusive":2,"seed":-3,"failure_injection_shards":[],)"
            R"("request_key":"outcomes/runs/run_id=r-1/manifest.json","request_fingerprint":"ab"})");
  Result<ShardPayload> decoded = DecodeShardPayload(body, "2026-03-01");
  ASSERT_TRUE(decoded.ok()) << decoded.status().message();
  EXPECT_TRUE(decoded->is_reference());
  EXPECT_FALSE(decoded->ShouldInjectFailure());
  EXPECT_EQ(decoded->request_key, p.request_key);
  EXPECT_EQ(EncodeShardPayload(*decoded), body);
}

TEST(ShardPayloadTest, RunDateFallsBackWhenAbsentOrNull) {
  ShardPayload p = InlinePayload();
  p.run_date.reset();
  Result<ShardPayload> decoded = DecodeShardPayload(EncodeShardPayload(p), "2026-03-01");
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(decoded->run_date, "2026-03-01");
  const std::string with_null = R"({"run_id":"x","run_date":null,"dimensions":{},"total_points":1,"shard_id":0,)"
                                R"("start_index":0,"end_index_exclusive":1,"seed":0,"failure_injection_shards":[]})";
  decoded = DecodeShardPayload(with_null, "2026-03-01");
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(decoded->run_date, "2026-03-01");
}

TEST(ShardPayloadTest, MissingFieldsInWireOrderAtTheClosingBrace) {
  EXPECT_EQ(DecodeError(R"({"run_id":"x"})"),
            "invalid child shard payload: missing field `dimensions` at line 1 column 14");
  EXPECT_EQ(DecodeError("{\n  \"dimensions\": {}\n}"),
            "invalid child shard payload: missing field `run_id` at line 3 column 1");
  EXPECT_EQ(DecodeError(R"({"seed":1,"dimensions":{},"run_id":"x","total_points":1})"),
            "invalid child shard payload: missing field `shard_id` at line 1 column 56");
  EXPECT_EQ(DecodeError(R"({"run_id":"x","dimensions":{},"total_points":1,"shard_id":0,"start_index":0,)"
                        R"("end_index_exclusive":1,"seed":0})"),
            "invalid child shard payload: missing field `failure_injection_shards` at line 1 column 109");
  // Dimensions may be omitted only when both reference fields are present.
  EXPECT_EQ(DecodeError(R"({"run_id":"x","total_points":1,"request_key":"k"})"),
            "invalid child shard payload: missing field `dimensions` at line 1 column 49");
  EXPECT_EQ(DecodeError(R"({"run_id":"x","total_points":1,"request_key":"k","request_fingerprint":"f"})"),
            "invalid child shard payload: missing field `shard_id` at line 1 column 75");
}

TEST(ShardPayloadTest, TypeErrorsCarryTheValuePosition) {
  EXPECT_EQ(DecodeError(R"({"run_id":5})"),
            "invalid child shard payload: invalid type: integer `5`, expected a string at line 1 column 11");
  EXPECT_EQ(DecodeError(R"({"run_id":"x","shard_id":-1})"),
            "invalid child shard payload: invalid value: integer `-1`, expected usize at line 1 column 27");
  EXPECT_EQ(DecodeError(R"({"run_id":"x","dimensions":{"a":1}})"),
            "invalid child shard payload: invalid type: integer `1`, expected a sequence at line 1 column 34");
  EXPECT_EQ(DecodeError(R"({"seed":"7"})"),
            "invalid child shard payload: invalid type: string \"7\", expected i64 at line 1 column 11");
  EXPECT_EQ(DecodeError("42"),
            "invalid child shard payload: invalid type: integer `42`, expected struct ShardPayload at line 1 column 2");
  EXPECT_EQ(DecodeError("{\"run_id\""), "invalid child shard payload: EOF while parsing an object at line 1 column 9");
  EXPECT_EQ(DecodeError(""), "invalid child shard payload: EOF while parsing a value at line 1 column 0");
}

TEST(ShardPayloadTest, UnknownFieldsIgnoredAndLastDuplicateWins) {
  Result<ShardPayload> decoded = DecodeShardPayload(
      R"({"run_id":"a","extra":{"x":[1]},"dimensions":{},"total_points":3,"shard_id":0,"start_index":0,)"
      R"("end_index_exclusive":3,"seed":0,"failure_injection_shards":[],"run_id":"b"})",
      "2026-03-01");
  ASSERT_TRUE(decoded.ok()) << decoded.status().message();
  EXPECT_EQ(decoded->run_id, "b");
}

TEST(ShardPayloadTest, RejectsUnaddressableIdentifiers) {
  ShardPayload p = InlinePayload();
  for (const char* run_id : {"a/b", "", "a b", "x=1"}) {
    p.run_id = run_id;
    EXPECT_EQ(DecodeError(EncodeShardPayload(p)), "invalid child shard payload: run_id or run_date is not addressable");
  }
  p = InlinePayload();
  for (const char* run_date : {"2026-02-30", "20260214", "../x", ""}) {
    p.run_date = run_date;
    EXPECT_EQ(DecodeError(EncodeShardPayload(p)), "invalid child shard payload: run_id or run_date is not addressable");
  }
  p.run_date.reset();
  Result<ShardPayload> r = DecodeShardPayload(EncodeShardPayload(p), "bad-date");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "invalid child shard payload: run_id or run_date is not addressable");
}

TEST(ShardPayloadTest, RecordBodyMustBeAString) {
  EXPECT_EQ(DecodeShardPayloadRecordBody(J("42"), "2026-03-01").status().message(), "SQS record body must be a string");
  EXPECT_EQ(DecodeShardPayloadRecordBody(J("{}"), "2026-03-01").status().message(), "SQS record body must be a string");
  EXPECT_TRUE(DecodeShardPayloadRecordBody(JsonValue::String(EncodeShardPayload(InlinePayload())), "2026-03-01").ok());
}

ValidatedRequest Validate(const std::string& text, uint64_t ceiling = 1000) {
  IngressConfig config;
  config.max_shards_ceiling = ceiling;
  ApiResult<ValidatedRequest> v = ParseAndValidateRequestBytes(text, config);
  EXPECT_TRUE(v.ok()) << (v.ok() ? "" : v.error().Body());
  return std::move(v).value();
}

// A request whose inline payloads exceed 65 536 bytes: 10 000 eta_weight doubles of ~19 characters.
std::string LargeRequest() {
  std::string values;
  for (int i = 0; i < 10000; ++i) {
    if (i > 0) values.append(",");
    values.append("0.");
    values.append(std::to_string(1000000000000000 + i));
  }
  return R"({"run_id":"big","dimensions":{"eta_weight":[)" + values +
         R"(],"num_riders":[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20]},"shard_count":1000,)"
         R"("failure_injection_shards":[0,999,5000]})";
}

TEST(ShardPayloadTest, OversizeInlineBodiesSwitchEveryShardToReferences) {
  const ValidatedRequest v = Validate(LargeRequest());
  ASSERT_EQ(v.plan.shards.size(), 1000u);
  const std::string key = "serverless-sweeps/outcomes/runs/run_id=big/manifest.json";
  ShardPayloadEncoder encoder(v.request, v.plan, "2026-02-14", key, v.request_fingerprint, 65536);
  EXPECT_EQ(encoder.form(), PayloadForm::kReference);
  const std::vector<std::string> bodies = encoder.EncodeAll(v.plan);
  ASSERT_EQ(bodies.size(), 1000u);
  for (const std::string& body : bodies) ASSERT_LE(body.size(), 262144u);
  for (uint64_t shard : {0u, 1u, 999u}) {
    Result<ShardPayload> decoded = DecodeShardPayload(bodies[shard], "2026-03-01");
    ASSERT_TRUE(decoded.ok()) << decoded.status().message();
    EXPECT_TRUE(decoded->is_reference());
    EXPECT_EQ(decoded->request_key, key);
    EXPECT_EQ(decoded->request_fingerprint, v.request_fingerprint);
    EXPECT_EQ(decoded->start_index, v.plan.shards[shard].start_index);
    EXPECT_EQ(decoded->end_index_exclusive, v.plan.shards[shard].end_index_exclusive);
    EXPECT_EQ(decoded->ShouldInjectFailure(), shard != 1);
    EXPECT_EQ(decoded->failure_injection_shards.size(), shard != 1 ? 1u : 0u);
  }
  // With a limit above every inline body the same run stays inline, and inline bodies carry everything.
  ShardPayloadEncoder inline_encoder(v.request, v.plan, "2026-02-14", key, v.request_fingerprint, 262144);
  EXPECT_EQ(inline_encoder.form(), PayloadForm::kInline);
  const std::string body = inline_encoder.Encode(v.plan.shards[7]);
  EXPECT_GT(body.size(), 65536u);
  Result<ShardPayload> decoded = DecodeShardPayload(body, "2026-03-01");
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(decoded->dimensions, v.request.dimensions);
  EXPECT_EQ(decoded->failure_injection_shards, (std::vector<uint64_t>{0, 999, 5000}));
}

TEST(ShardPayloadTest, InlineLimitIsCappedAtTheSqsLimit) {
  const ValidatedRequest v = Validate(LargeRequest());
  ShardPayloadEncoder encoder(v.request, v.plan, "2026-02-14", "k", v.request_fingerprint, 10'000'000);
  EXPECT_EQ(encoder.form(), PayloadForm::kInline);  // ~250 KB bodies still fit under 262 144.
  for (const ShardRange& shard : {v.plan.shards.front(), v.plan.shards.back()}) {
    EXPECT_LE(encoder.Encode(shard).size(), 262144u);
  }
}

TEST(ShardPayloadTest, EncoderMatchesStructEncodingInBothForms) {
  const ValidatedRequest v =
      Validate(R"({"run_id":"e","dimensions":{"num_riders":[1,2,3]},"shard_count":3,"seed":-1,"failure_injection_shards":[2]})");
  for (size_t limit : {size_t{65536}, size_t{10}}) {
    ShardPayloadEncoder encoder(v.request, v.plan, "2026-02-14", "runs/run_id=e/manifest.json", v.request_fingerprint,
                                limit);
    for (const ShardRange& shard : v.plan.shards) {
      ShardPayload p;
      p.run_id = v.request.run_id;
      p.run_date = "2026-02-14";
      p.total_points = v.request.total_points;
      p.shard_id = shard.shard_id;
      p.start_index = shard.start_index;
      p.end_index_exclusive = shard.end_index_exclusive;
      p.seed = v.request.seed;
      if (encoder.form() == PayloadForm::kInline) {
        p.dimensions = v.request.dimensions;
        p.failure_injection_shards = v.request.failure_injection_shards;
      } else {
        if (shard.shard_id == 2) p.failure_injection_shards = {2};
        p.request_key = "runs/run_id=e/manifest.json";
        p.request_fingerprint = v.request_fingerprint;
      }
      EXPECT_EQ(encoder.Encode(shard), EncodeShardPayload(p)) << "limit " << limit << " shard " << shard.shard_id;
    }
  }
}

}  // namespace
}  // namespace ridesweep::sweep
