// Every vector of the shared golden file (spec/golden.json) reproduced byte for byte: normalized requests,
// fingerprints, plans, validation messages and bodies, the SQS payload, response bodies, event detection, worker
// decoding, normalization, storage keys and grid enumeration.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "golden_data.h"
#include "ridesweep/base/json_parser.h"
#include "ridesweep/base/json_writer.h"
#include "ridesweep/sweep/event_detection.h"
#include "ridesweep/sweep/fingerprint.h"
#include "ridesweep/sweep/grid.h"
#include "ridesweep/sweep/keys.h"
#include "ridesweep/sweep/normalized_request.h"
#include "ridesweep/sweep/point_resolution.h"
#include "ridesweep/sweep/request.h"
#include "ridesweep/sweep/request_validation.h"
#include "ridesweep/sweep/responses.h"
#include "ridesweep/sweep/shard_payload.h"

namespace ridesweep::sweep {
namespace {

using testing::Field;
using testing::Golden;
using testing::RangesOf;
using testing::RequestTextOf;
using testing::StringField;
using testing::UnsignedField;

std::vector<std::pair<uint64_t, uint64_t>> RangesOf(const ShardPlan& plan) {
  std::vector<std::pair<uint64_t, uint64_t>> out;
  for (const ShardRange& s : plan.shards) out.emplace_back(s.start_index, s.end_index_exclusive);
  return out;
}

NormalizedRequest NormalizeOrDie(const std::string& text) {
  Result<JsonValue> parsed = ParseJson(text);
  EXPECT_TRUE(parsed.ok()) << text;
  ApiResult<SweepRequest> decoded = DecodeSweepRequest(*parsed);
  EXPECT_TRUE(decoded.ok()) << text << " " << (decoded.ok() ? "" : decoded.error().message);
  ApiResult<NormalizedRequest> normalized = NormalizeRequest(std::move(decoded).value());
  EXPECT_TRUE(normalized.ok()) << text;
  return std::move(normalized).value();
}

ValidatedRequest ValidateOrDie(const std::string& text) {
  ApiResult<ValidatedRequest> v = ParseAndValidateRequestBytes(text, IngressConfig{});
  EXPECT_TRUE(v.ok()) << text << " -> " << (v.ok() ? "" : v.error().Body());
  return std::move(v).value();
}

const JsonValue& CanonicalCase(std::string_view name) {
  for (const JsonValue& c : Field(Golden(), "canonical_cases").as_array()) {
    if (StringField(c, "name") == name) return c;
  }
  ADD_FAILURE() << "no canonical case " << name;
  return Golden();
}

TEST(GoldenContractTest, CanonicalCasesAreByteExact) {
  const JsonArray& cases = Field(Golden(), "canonical_cases").as_array();
  ASSERT_EQ(cases.size(), 7u);
  for (const JsonValue& c : cases) {
    SCOPED_TRACE(StringField(c, "name"));
    const NormalizedRequest request = NormalizeOrDie(StringField(c, "input_request_text"));
    EXPECT_EQ(NormalizedRequestJson(request), StringField(c, "normalized_json"));
    EXPECT_EQ(request.total_points, UnsignedField(c, "total_points"));
    EXPECT_EQ(RequestFingerprint(request), StringField(c, "request_fingerprint"));
    if (c.as_object().Find("config_json") != nullptr) {
      EXPECT_EQ(ConfigJson(request.dimensions, request.seed), StringField(c, "config_json"));
      EXPECT_EQ(ConfigFingerprint(request.dimensions, request.seed), StringField(c, "config_fingerprint"));
    }
    ApiResult<ShardPlan> plan =
        PlanShards(request.total_points, request.shard_count, request.shard_size,
                   std::min<uint64_t>(request.max_shards, kDefaultMaxShardsCeiling));
    ASSERT_TRUE(plan.ok());
    EXPECT_EQ(RangesOf(*plan), RangesOf(Field(c, "shard_plan")));

    // The full pipeline of this system (ingress rules included).
    const JsonValue& expected = Field(c, "expected_by_this_system");
    ApiResult<ValidatedRequest> validated = ParseAndValidateRequestBytes(StringField(c, "input_request_text"), {});
    if (UnsignedField(expected, "status") == 202) {
      ASSERT_TRUE(validated.ok()) << validated.error().Body();
      EXPECT_EQ(validated->normalized_json, StringField(c, "normalized_json"));
      EXPECT_EQ(validated->request_fingerprint, StringField(c, "request_fingerprint"));
      EXPECT_EQ(RangesOf(validated->plan), RangesOf(Field(c, "shard_plan")));
    } else {
      ASSERT_FALSE(validated.ok());
      EXPECT_EQ(static_cast<uint64_t>(validated.error().status_code), UnsignedField(expected, "status"));
      EXPECT_EQ(validated.error().Body(), StringField(expected, "body_text"));
    }
  }
}

TEST(GoldenContractTest, PlanCases) {
  for (const JsonValue& c : Field(Golden(), "plan_cases").as_array()) {
    SCOPED_TRACE(StringField(c, "name"));
    const ValidatedRequest v = ValidateOrDie(RequestTextOf(c));
    EXPECT_EQ(v.request.total_points, UnsignedField(c, "total_points"));
    if (c.as_object().Find("shard_count") != nullptr) {
      EXPECT_EQ(v.plan.shards.size(), UnsignedField(c, "shard_count"));
    }
    EXPECT_EQ(RangesOf(v.plan), RangesOf(Field(c, "shard_plan")));
  }
}

TEST(GoldenContractTest, ValidationCases) {
  for (const JsonValue& c : Field(Golden(), "validation_cases").as_array()) {
    SCOPED_TRACE(StringField(c, "name"));
    ApiResult<ValidatedRequest> result = [&]() -> ApiResult<ValidatedRequest> {
      if (const JsonValue* event = c.as_object().Find("input_event_text")) {
        ApiResult<ValidatedEvent> e = ParseAndValidateEventBytes(event->as_string(), {});
        if (!e.ok()) return std::move(e).error();
        return std::move(e->validated);
      }
      return ParseAndValidateRequestBytes(RequestTextOf(c), {});
    }();
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(static_cast<uint64_t>(result.error().status_code), UnsignedField(c, "expected_status"));
    EXPECT_EQ(result.error().error, "validation_error");
    EXPECT_EQ(result.error().message, StringField(c, "expected_message"));
    EXPECT_EQ(result.error().Body(), StringField(c, "expected_body_text"));
  }
}

TEST(GoldenContractTest, SqsPayloadExample) {
  const JsonValue& example = Field(Golden(), "sqs_payload_example");
  const JsonValue& source = CanonicalCase(StringField(example, "source_case"));
  const ValidatedRequest v = ValidateOrDie(StringField(source, "input_request_text"));
  const std::string run_date = StringField(example, "run_date");
  const uint64_t shard_id = UnsignedField(example, "shard_id");
  const std::string expected = StringField(example, "body_text");

  ShardPayloadEncoder encoder(v.request, v.plan, run_date, "unused-key", v.request_fingerprint,
                              kDefaultInlinePayloadMaxBytes);
  EXPECT_EQ(encoder.form(), PayloadForm::kInline);
  EXPECT_EQ(encoder.Encode(v.plan.shards[shard_id]), expected);

  Result<ShardPayload> decoded = DecodeShardPayload(expected, "2000-01-01");
  ASSERT_TRUE(decoded.ok()) << decoded.status().message();
  EXPECT_EQ(*decoded->run_date, run_date);
  EXPECT_EQ(decoded->shard_id, shard_id);
  EXPECT_EQ(decoded->dimensions, v.request.dimensions);
  EXPECT_EQ(EncodeShardPayload(*decoded), expected);
}

TEST(GoldenContractTest, Accepted202ReferenceFieldsArePrefix) {
  const JsonValue& reference = Field(Field(Golden(), "response_bodies"), "accepted_202_reference_fields");
  const ValidatedRequest v =
      ValidateOrDie(R"({"run_id":"dispatch-run","dimensions":{"num_drivers":[1,2],"num_riders":[1,2]},"shard_count":2})");
  const std::string body = AcceptedBody(AcceptedRun{v.request.run_id, v.request.total_points, &v.plan, "2026-02-14",
                                                    v.request_fingerprint, v.config_fingerprint});
  std::string prefix = StringField(reference, "body_text");
  ASSERT_EQ(prefix.back(), '}');
  prefix.back() = ',';
  EXPECT_EQ(body.substr(0, prefix.size()), prefix);
  EXPECT_EQ(body.substr(prefix.size()), "\"run_date\":\"2026-02-14\",\"request_fingerprint\":\"" +
                                            v.request_fingerprint + "\",\"config_fingerprint\":\"" +
                                            v.config_fingerprint + "\",\"shard_ranges\":[[0,2],[2,4]]}");
}

TEST(GoldenContractTest, ValidationErrorExample) {
  const JsonValue& example = Field(Field(Golden(), "response_bodies"), "validation_error_example");
  ApiResult<ValidatedRequest> v = ParseAndValidateRequestBytes(R"({"run_id":" ","dimensions":{}})", {});
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(static_cast<uint64_t>(v.error().status_code), UnsignedField(example, "status"));
  EXPECT_EQ(v.error().Body(), StringField(example, "body_text"));
}

TEST(GoldenContractTest, DispatchFailedKeepsReferenceKeysSorted) {
  const JsonValue& example = Field(Field(Golden(), "response_bodies"), "dispatch_failed_reference_keys");
  DispatchFailure failure;
  failure.dispatch_target = "https://q";
  failure.run_id = "r";
  failure.request_fingerprint = "abc";
  failure.run_date = "2026-02-14";
  failure.enqueued_shard_ids = {0};
  failure.failed_shard_ids = {1};
  failure.message = "boom";
  const ApiError error = MakeDispatchFailedError(failure);
  EXPECT_EQ(static_cast<uint64_t>(error.status_code), UnsignedField(example, "status"));
  const std::string body = error.Body();
  EXPECT_EQ(body,
            R"({"dispatch_target":"https://q","enqueued_shard_ids":[0],"error":"dispatch_failed","failed_shard_ids":[1],)"
            R"("message":"boom","run_context":{"request_fingerprint":"abc","run_id":"r","schema_version":"v1"},)"
            R"("run_date":"2026-02-14"})");
  // Without the keys this system adds, the body is the earlier implementation's.
  Result<JsonValue> parsed = ParseJson(body);
  ASSERT_TRUE(parsed.ok());
  for (std::string_view added : {"enqueued_shard_ids", "failed_shard_ids", "run_date"}) {
    EXPECT_TRUE(parsed->as_object().Remove(added));
  }
  EXPECT_EQ(ToCanonicalJson(*parsed), StringField(example, "body_text"));
}

TEST(GoldenContractTest, EventDetectionCases) {
  for (const JsonValue& c : Field(Golden(), "event_detection_cases").as_array()) {
    SCOPED_TRACE(StringField(c, "name"));
    Result<JsonValue> event = ParseJson(StringField(c, "event_text"));
    ASSERT_TRUE(event.ok());
    EXPECT_EQ(IsSqsEvent(*event), StringField(c, "expected_path") == "sqs");
  }
}

TEST(GoldenContractTest, WorkerDecodeCases) {
  const ValidatedRequest readme = ValidateOrDie(StringField(CanonicalCase("readme_request"), "input_request_text"));
  for (const JsonValue& c : Field(Golden(), "worker_decode_cases").as_array()) {
    SCOPED_TRACE(StringField(c, "name"));
    const JsonObject& o = c.as_object();
    if (const JsonValue* body = o.Find("record_body_json")) {
      Result<ShardPayload> decoded = DecodeShardPayloadRecordBody(*body, "2026-03-01");
      ASSERT_FALSE(decoded.ok());
      EXPECT_NE(decoded.status().message().find(StringField(c, "expected_error_contains")), std::string::npos);
    } else if (const JsonValue* text = o.Find("record_body_text")) {
      Result<ShardPayload> decoded = DecodeShardPayload(text->as_string(), "2026-03-01");
      ASSERT_FALSE(decoded.ok());
      EXPECT_EQ(decoded.status().message(), StringField(c, "expected_error"));
    } else {
      ShardPayload payload;
      payload.run_id = readme.request.run_id;
      payload.dimensions = readme.request.dimensions;
      payload.total_points = readme.request.total_points;
      payload.shard_id = 0;
      payload.end_index_exclusive = 2;
      if (Field(c, "payload_run_date").is_string()) payload.run_date = StringField(c, "payload_run_date");
      Result<ShardPayload> decoded =
          DecodeShardPayload(EncodeShardPayload(payload), StringField(c, "fallback_run_date"));
      ASSERT_TRUE(decoded.ok()) << decoded.status().message();
      EXPECT_EQ(*decoded->run_date, StringField(c, "expected_run_date"));
    }
  }
}

TEST(GoldenContractTest, NormalizationCases) {
  for (const JsonValue& c : Field(Golden(), "normalization_cases").as_array()) {
    SCOPED_TRACE(StringField(c, "name"));
    const ValidatedRequest v = ValidateOrDie(StringField(c, "input_request_text"));
    EXPECT_EQ(v.request.total_points, UnsignedField(c, "expected_total_points"));
    std::vector<uint64_t> expected;
    for (const JsonValue& id : Field(c, "expected_failure_injection_shards").as_array()) {
      expected.push_back(id.as_unsigned());
    }
    EXPECT_EQ(v.request.failure_injection_shards, expected);
  }
}

TEST(GoldenContractTest, StorageKeys) {
  const JsonArray& cases = Field(Golden(), "storage_keys").as_array();
  ASSERT_EQ(cases.size(), 7u);
  for (const JsonValue& c : cases) {
    const std::string dataset = StringField(c, "dataset");
    const std::string prefix = StringField(c, "results_prefix");
    SCOPED_TRACE(dataset + " " + prefix);
    const StorageLayout layout(prefix);
    const std::string run_date = StringField(c, "run_date");
    const std::string run_id = StringField(c, "run_id");
    const std::string status = StringField(c, "status");
    std::string key;
    if (dataset == "run_context") {
      key = layout.RunContextKey(run_date, run_id);
    } else if (dataset == "shard_outcomes") {
      const RecordStatus record_status = status == "success" ? RecordStatus::kSuccess : RecordStatus::kFailure;
      key = layout.ShardOutcomeKey(run_date, run_id, record_status, UnsignedField(c, "shard_id"));
    } else {
      Dataset d = Dataset::kShardMetrics;
      for (Dataset candidate : {Dataset::kShardMetrics, Dataset::kTripData, Dataset::kSnapshotCounts,
                                Dataset::kEffectiveParameters}) {
        if (DatasetName(candidate) == dataset) d = candidate;
      }
      ASSERT_EQ(DatasetName(d), dataset);
      key = layout.PointKey(d, run_date, run_id, UnsignedField(c, "shard_id"), UnsignedField(c, "point_index"));
    }
    EXPECT_EQ(key, StringField(c, "key"));

    Result<PartitionIdentity> identity = ParseStorageKey(key, prefix);
    ASSERT_TRUE(identity.ok()) << identity.status().message();
    EXPECT_EQ(DatasetName(identity->dataset), dataset);
    EXPECT_EQ(identity->run_date, run_date);
    EXPECT_EQ(identity->run_id, run_id);
    EXPECT_EQ(identity->status, status);
    if (c.as_object().Find("shard_id") != nullptr) {
      EXPECT_EQ(identity->shard_id, UnsignedField(c, "shard_id"));
    }
    if (c.as_object().Find("point_index") != nullptr) {
      EXPECT_EQ(identity->point_index, UnsignedField(c, "point_index"));
    }
  }
}

TEST(GoldenContractTest, GridEnumeration) {
  const JsonValue& grid = Field(Golden(), "grid_enumeration");
  const JsonValue& source = CanonicalCase(StringField(grid, "source_case"));
  const ValidatedRequest v = ValidateOrDie(StringField(source, "input_request_text"));
  const Dimensions& dims = v.request.dimensions;
  const JsonArray& names = Field(grid, "sorted_dimensions").as_array();
  ASSERT_EQ(dims.size(), names.size());
  for (size_t i = 0; i < dims.size(); ++i) EXPECT_EQ(dims[i].name, names[i].as_string());

  const JsonArray& points = Field(grid, "points").as_array();
  ASSERT_EQ(points.size(), v.request.total_points);
  for (const JsonValue& point : points) {
    const uint64_t index = UnsignedField(point, "point_index");
    SCOPED_TRACE(index);
    Result<std::vector<size_t>> indices = PointValueIndices(dims, index);
    ASSERT_TRUE(indices.ok());
    const JsonObject& values = Field(point, "values").as_object();
    for (size_t i = 0; i < dims.size(); ++i) {
      EXPECT_EQ(dims[i].values[(*indices)[i]], *values.Find(dims[i].name)) << dims[i].name;
    }
    EXPECT_EQ(PointSeed(v.request.seed, index), UnsignedField(point, "seed"));

    Result<ResolvedPoint> resolved = ResolvePoint(dims, v.request.seed, index);
    ASSERT_TRUE(resolved.ok());
    EXPECT_EQ(resolved->params.seed, UnsignedField(point, "seed"));
    EXPECT_EQ(resolved->params.pricing_config.commission_rate, values.Find("commission_rate")->as_double());
    EXPECT_EQ(resolved->params.num_drivers, values.Find("num_drivers")->as_unsigned());
    EXPECT_EQ(resolved->params.num_riders, values.Find("num_riders")->as_unsigned());
  }
  EXPECT_FALSE(PointValueIndices(dims, v.request.total_points).ok());
}

}  // namespace
}  // namespace ridesweep::sweep
