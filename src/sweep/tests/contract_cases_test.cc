// Runs every case of tests/contract/*.json through the ingress pipeline: a request (or API event) and its expected
// error body, or its normalized form, fingerprints, plan, 202 body and shard payloads. Adding a case needs no C++.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "golden_data.h"
#include "ridesweep/sweep/request_validation.h"
#include "ridesweep/sweep/responses.h"
#include "ridesweep/base/check.h"
#include "ridesweep/base/json_parser.h"
#include "ridesweep/base/json_writer.h"
#include "ridesweep/sweep/point_resolution.h"
#include "ridesweep/sweep/shard_payload.h"

namespace ridesweep::sweep {
namespace {

using testing::Field;
using testing::RangesOf;
using testing::StringField;
using testing::UnsignedField;

// Keys a case may carry; anything else is a typo that would silently test nothing.
const std::set<std::string, std::less<>> kKnownKeys = {
    "name", "note", "input_request_text", "input_request_template", "input_event_text", "input_template_note",
    "max_shards_ceiling", "misconfiguration", "expected_status", "expected_body_text", "expected_request_source",
    "expected_normalized_json", "expected_request_fingerprint", "expected_config_fingerprint",
    "expected_shard_plan", "expected_shard_count", "expected_shard_strategy", "expected_max_shards_ceiling",
    "run_date", "request_key", "expected_accepted_body_text", "inline_payload_max_bytes", "expected_payload_form",
    "expected_payloads", "expected_points",
};

// The selected_dimensions object of a resolved point, in canonical JSON.
std::string SelectedDimensionsOf(const ResolvedPoint& point) {
  Result<JsonValue> effective = ParseJson(point.effective_parameters_json);
  RIDESWEEP_CHECK(effective.ok());
  return ToCanonicalJson(*effective->as_object().Find("selected_dimensions"));
}

void RunCase(const JsonValue& c) {
  for (const JsonMember& member : c.as_object().members()) {
    EXPECT_TRUE(kKnownKeys.count(member.key) == 1) << "unknown case key " << member.key;
  }
  IngressConfig config;
  if (const JsonValue* ceiling = c.as_object().Find("max_shards_ceiling")) {
    config.max_shards_ceiling = ceiling->as_unsigned();
  }
  if (const JsonValue* problem = c.as_object().Find("misconfiguration")) config.misconfiguration = problem->as_string();

  RequestSource source = RequestSource::kLocalHttp;
  ApiResult<ValidatedRequest> result = [&]() -> ApiResult<ValidatedRequest> {
    if (const JsonValue* event = c.as_object().Find("input_event_text")) {
      ApiResult<ValidatedEvent> e = ParseAndValidateEventBytes(event->as_string(), config);
      if (!e.ok()) return std::move(e).error();
      source = e->source;
      return std::move(e->validated);
    }
    return ParseAndValidateRequestBytes(testing::RequestTextOf(c), config);
  }();

  const uint64_t status = UnsignedField(c, "expected_status");
  if (status != 202) {
    ASSERT_FALSE(result.ok()) << "accepted, expected " << status;
    EXPECT_EQ(static_cast<uint64_t>(result.error().status_code), status);
    EXPECT_EQ(result.error().Body(), StringField(c, "expected_body_text"));
    return;
  }
  ASSERT_TRUE(result.ok()) << result.error().Body();
  const ValidatedRequest& v = *result;
  const JsonObject& o = c.as_object();
  if (o.Find("expected_request_source")) {
    EXPECT_EQ(RequestSourceName(source), StringField(c, "expected_request_source"));
  }
  if (o.Find("expected_normalized_json")) {
    EXPECT_EQ(v.normalized_json, StringField(c, "expected_normalized_json"));
  }
  if (o.Find("expected_request_fingerprint")) {
    EXPECT_EQ(v.request_fingerprint, StringField(c, "expected_request_fingerprint"));
  }
  if (o.Find("expected_config_fingerprint")) {
    EXPECT_EQ(v.config_fingerprint, StringField(c, "expected_config_fingerprint"));
  }
  if (o.Find("expected_shard_plan")) {
    std::vector<std::pair<uint64_t, uint64_t>> plan;
    for (const ShardRange& s : v.plan.shards) plan.emplace_back(s.start_index, s.end_index_exclusive);
    EXPECT_EQ(plan, RangesOf(Field(c, "expected_shard_plan")));
  }
  if (o.Find("expected_shard_count")) {
    EXPECT_EQ(v.plan.shards.size(), UnsignedField(c, "expected_shard_count"));
  }
  if (o.Find("expected_shard_strategy")) {
    EXPECT_EQ(ShardStrategyName(v.plan.strategy), StringField(c, "expected_shard_strategy"));
  }
  if (o.Find("expected_max_shards_ceiling")) {
    EXPECT_EQ(v.max_shards_ceiling, UnsignedField(c, "expected_max_shards_ceiling"));
  }
  if (o.Find("expected_accepted_body_text")) {
    const std::string body = AcceptedBody(AcceptedRun{v.request.run_id, v.request.total_points, &v.plan,
                                                      StringField(c, "run_date"), v.request_fingerprint,
                                                      v.config_fingerprint});
    EXPECT_EQ(body, StringField(c, "expected_accepted_body_text"));
  }
  // Golden points of a design: each listed point resolves to exactly these values and engine seed.
  if (o.Find("expected_points")) {
    for (const JsonValue& expected : Field(c, "expected_points").as_array()) {
      const uint64_t index = UnsignedField(expected, "point_index");
      Result<ResolvedPoint> point =
          ResolvePoint(v.request.dimensions, v.request.seed, index, v.request.replications, v.request.design);
      ASSERT_TRUE(point.ok()) << point.status().message();
      EXPECT_EQ(point->config_index, UnsignedField(expected, "config_index")) << "point " << index;
      EXPECT_EQ(point->params.seed, UnsignedField(expected, "seed")) << "point " << index;
      EXPECT_EQ(SelectedDimensionsOf(*point), ToCanonicalJson(Field(expected, "selected_dimensions")))
          << "point " << index;
    }
  }
  if (o.Find("expected_payloads")) {
    const std::string run_date = StringField(c, "run_date");
    ShardPayloadEncoder encoder(v.request, v.plan, run_date, StringField(c, "request_key"), v.request_fingerprint,
                                UnsignedField(c, "inline_payload_max_bytes"));
    EXPECT_EQ(PayloadFormName(encoder.form()), StringField(c, "expected_payload_form"));
    const std::vector<std::string> bodies = encoder.EncodeAll(v.plan);
    const JsonArray& expected = Field(c, "expected_payloads").as_array();
    ASSERT_EQ(bodies.size(), expected.size());
    for (size_t i = 0; i < bodies.size(); ++i) {
      EXPECT_EQ(bodies[i], expected[i].as_string()) << "shard " << i;
      Result<ShardPayload> decoded = DecodeShardPayload(bodies[i], "1999-01-01");
      ASSERT_TRUE(decoded.ok()) << decoded.status().message();
      EXPECT_EQ(*decoded->run_date, run_date);
      EXPECT_EQ(EncodeShardPayload(*decoded), bodies[i]);
    }
  }
}

TEST(ContractCasesTest, EveryCaseFilePasses) {
  const std::vector<std::string> files = testing::ContractCaseFiles();
  ASSERT_GE(files.size(), 6u);
  size_t cases = 0;
  for (const std::string& file : files) {
    Result<JsonValue> parsed = ParseJson(testing::ReadFileOrDie(file));
    ASSERT_TRUE(parsed.ok()) << file << ": " << parsed.status().message();
    for (const JsonValue& c : Field(*parsed, "cases").as_array()) {
      SCOPED_TRACE(file + " :: " + StringField(c, "name"));
      RunCase(c);
      ++cases;
    }
  }
  EXPECT_GE(cases, 100u);
}

}  // namespace
}  // namespace ridesweep::sweep
