// The ingress pipeline end to end on values: what a success carries, the order of the steps, and a request at the
// size limits (200 000 points, 1 000 shards) validated, planned and encoded.
#include "ridesweep/sweep/request_validation.h"

#include <gtest/gtest.h>

#include <string>

#include "ridesweep/base/json_parser.h"
#include "ridesweep/sweep/fingerprint.h"
#include "ridesweep/sweep/shard_payload.h"
#include "json_literal.h"

namespace ridesweep::sweep {
namespace {

TEST(RequestValidationTest, SuccessCarriesEverythingTheAcceptPathNeeds) {
  IngressConfig config;
  config.max_shards_ceiling = 10;
  ApiResult<ValidatedRequest> v = ValidateRequest(
      J(R"({"run_id":" r ","dimensions":{"num_riders":[1,2,3]},"shard_size":2,"max_shards":50,"failure_injection_shards":[3,1,3]})"),
      config);
  ASSERT_TRUE(v.ok()) << v.error().Body();
  EXPECT_EQ(v->request.run_id, "r");
  EXPECT_EQ(v->request.total_points, 3u);
  EXPECT_EQ(v->request.max_shards, 50u);
  EXPECT_EQ(v->max_shards_ceiling, 10u);
  EXPECT_EQ(v->effective_max_shards, 10u);
  EXPECT_EQ(v->request.failure_injection_shards, (std::vector<uint64_t>{1, 3}));
  EXPECT_EQ(v->normalized_json, NormalizedRequestJson(v->request));
  EXPECT_EQ(v->request_fingerprint, RequestFingerprint(v->request));
  EXPECT_EQ(v->config_fingerprint, ConfigFingerprint(v->request.dimensions, 0));
  EXPECT_EQ(v->plan.shards.size(), 2u);
  EXPECT_EQ(v->plan.strategy, ShardStrategy::kDerivedFromShardSize);
}

TEST(RequestValidationTest, ConfigFingerprintIgnoresRunIdShardingAndInjection) {
  ApiResult<ValidatedRequest> a = ParseAndValidateRequestBytes(
      R"({"run_id":"a","dimensions":{"num_riders":[1,2]},"shard_count":1,"seed":3})", {});
  ApiResult<ValidatedRequest> b = ParseAndValidateRequestBytes(
      R"({"run_id":"b","dimensions":{"num_riders":[1,2]},"shard_size":1,"max_shards":9,"seed":3,"failure_injection_shards":[0]})",
      {});
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->config_fingerprint, b->config_fingerprint);
  EXPECT_NE(a->request_fingerprint, b->request_fingerprint);
  ApiResult<ValidatedRequest> c = ParseAndValidateRequestBytes(
      R"({"run_id":"a","dimensions":{"num_riders":[1,2]},"shard_count":1,"seed":4})", {});
  ASSERT_TRUE(c.ok());
  EXPECT_NE(a->config_fingerprint, c->config_fingerprint);
}

TEST(RequestValidationTest, IngressRulesAloneReportInOrder) {
  NormalizedRequest r;
  r.run_id = "ok";
  r.dimensions = {{"zz", {J("1")}}};
  EXPECT_EQ(CheckIngressRules(r)->message, "Unsupported dimension 'zz'");
  r.run_id = "not ok";
  EXPECT_EQ(CheckIngressRules(r)->message, "run_id must match [A-Za-z0-9._-]{1,128}");
  r.run_id = "ok";
  r.dimensions = {{"num_riders", {J("1")}}};
  EXPECT_FALSE(CheckIngressRules(r).has_value());
}

TEST(RequestValidationTest, EventBytesReportTheSource) {
  ApiResult<ValidatedEvent> direct =
      ParseAndValidateEventBytes(R"({"run_id":"d","dimensions":{"num_riders":[1]},"shard_count":1})", {});
  ASSERT_TRUE(direct.ok());
  EXPECT_EQ(direct->source, RequestSource::kLambdaInvoke);
  ApiResult<ValidatedEvent> gateway = ParseAndValidateEventBytes(
      R"({"body":"{\"run_id\":\"d\",\"dimensions\":{\"num_riders\":[1]},\"shard_count\":1}","headers":{}})", {});
  ASSERT_TRUE(gateway.ok());
  EXPECT_EQ(gateway->source, RequestSource::kApiGateway);
  EXPECT_EQ(RequestSourceName(RequestSource::kLocalHttp), "local_http");
  EXPECT_EQ(RequestSourceName(RequestSource::kLocalCli), "local_cli");
  ApiResult<ValidatedEvent> garbage = ParseAndValidateEventBytes("not json", {});
  ASSERT_FALSE(garbage.ok());
  EXPECT_EQ(garbage.error().message, "Request payload must be a JSON object");
}

TEST(RequestValidationTest, MaximalRequestValidatesPlansAndEncodes) {
  // Built with append(): GCC 12 -O3 reports a false -Wrestrict for `literal + std::string`.
  const auto list = [](int n) {
    std::string out;
    for (int i = 0; i < n; ++i) {
      if (i > 0) out.append(",");
      out.append(std::to_string(i));
    }
    return out;
  };
  const std::string drivers = list(200);
  const std::string riders = list(1000);
  const std::string text = R"({"run_id":"max","dimensions":{"num_drivers":[)" + drivers + R"(],"num_riders":[)" +
                           riders + R"(]},"shard_count":1000})";
  ApiResult<ValidatedRequest> v = ParseAndValidateRequestBytes(text, {});
  ASSERT_TRUE(v.ok()) << v.error().Body();
  EXPECT_EQ(v->request.total_points, 200000u);
  ASSERT_EQ(v->plan.shards.size(), 1000u);
  ShardPayloadEncoder encoder(v->request, v->plan, "2026-02-14", "runs/run_id=max/manifest.json",
                              v->request_fingerprint, kDefaultInlinePayloadMaxBytes);
  EXPECT_EQ(encoder.form(), PayloadForm::kInline);
  const std::vector<std::string> bodies = encoder.EncodeAll(v->plan);
  ASSERT_EQ(bodies.size(), 1000u);
  EXPECT_LE(bodies.back().size(), kDefaultInlinePayloadMaxBytes);
  Result<ShardPayload> last = DecodeShardPayload(bodies.back(), "2026-03-01");
  ASSERT_TRUE(last.ok());
  EXPECT_EQ(last->start_index, 199800u);
  EXPECT_EQ(last->end_index_exclusive, 200000u);
}

}  // namespace
}  // namespace ridesweep::sweep
