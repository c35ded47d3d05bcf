// `replications`: validation and limits, the canonical form (only when not 1), point enumeration with the replicate
// fastest and distinct seeds, and the shard payload carrying what a worker needs in both forms.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "ridesweep/base/json_parser.h"
#include "ridesweep/sweep/grid.h"
#include "ridesweep/sweep/point_resolution.h"
#include "ridesweep/sweep/request_validation.h"
#include "ridesweep/sweep/shard_payload.h"

namespace ridesweep::sweep {
namespace {

ApiResult<ValidatedRequest> Validate(std::string_view text) { return ParseAndValidateRequestBytes(text, {}); }

constexpr std::string_view kThreeByTwo =
    R"({"run_id":"rep","dimensions":{"num_drivers":[5,6,7],"num_riders":[10,20]},"shard_count":2,"seed":9,)"
    R"("replications":4})";

TEST(ReplicationsTest, TotalPointsCountConfigurationsTimesReplications) {
  ApiResult<ValidatedRequest> v = Validate(kThreeByTwo);
  ASSERT_TRUE(v.ok()) << v.error().message;
  EXPECT_EQ(v->request.replications, 4u);
  EXPECT_EQ(v->request.total_points, 24u);
  EXPECT_EQ(v->request.configurations(), 6u);
  EXPECT_EQ(v->plan.total_points, 24u);
}

TEST(ReplicationsTest, CanonicalFormCarriesReplicationsOnlyWhenNotOne) {
  ApiResult<ValidatedRequest> three = Validate(kThreeByTwo);
  ASSERT_TRUE(three.ok());
  EXPECT_TRUE(three->normalized_json.ends_with(R"("failure_injection_shards":[],"replications":4})"))
      << three->normalized_json;
  const std::string base = R"({"run_id":"rep","dimensions":{"num_riders":[10]},"shard_count":1)";
  ApiResult<ValidatedRequest> absent = Validate(base + "}");
  ApiResult<ValidatedRequest> one = Validate(base + R"(,"replications":1})");
  ASSERT_TRUE(absent.ok() && one.ok());
  EXPECT_EQ(absent->normalized_json.find("replications"), std::string::npos);
  EXPECT_EQ(one->normalized_json, absent->normalized_json);
  EXPECT_EQ(one->request_fingerprint, absent->request_fingerprint);
  EXPECT_EQ(one->config_fingerprint, absent->config_fingerprint);
  ApiResult<ValidatedRequest> two = Validate(base + R"(,"replications":2})");
  ASSERT_TRUE(two.ok());
  EXPECT_NE(two->config_fingerprint, absent->config_fingerprint);  // replicates change the results
  // The manifest form reads back.
  Result<JsonValue> parsed = ParseJson(three->normalized_json);
  ASSERT_TRUE(parsed.ok());
  Result<NormalizedRequest> back = NormalizedRequestFromJson(*parsed);
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(*back, three->request);
}

TEST(ReplicationsTest, BadValuesHaveExactMessages) {
  const std::string base = R"({"run_id":"r","dimensions":{"num_riders":[1,2]},"shard_count":1,"replications":)";
  EXPECT_EQ(Validate(base + "0}").error().message, "replications must be between 1 and 1000");
  EXPECT_EQ(Validate(base + "1001}").error().message, "replications must be between 1 and 1000");
  EXPECT_EQ(Validate(base + "-1}").error().message,
            "Malformed request: invalid value: integer `-1`, expected usize");
  EXPECT_EQ(Validate(base + "\"3\"}").error().message,
            "Malformed request: invalid type: string \"3\", expected usize");
  EXPECT_TRUE(Validate(base + "1000}").ok());
  // The 200 000-point limit counts configurations × replications: 200 × 1000 passes, 201 × 1000 does not.
  std::string values;
  for (int i = 0; i < 201; ++i) values += (i ? "," : "") + std::to_string(i);
  const std::string big = R"({"run_id":"r","dimensions":{"num_riders":[)" + values +
                          R"(]},"shard_count":1000,"replications":1000})";
  EXPECT_EQ(Validate(big).error().message, "Parameter space is too large for this deployment (>200000 points)");
  const std::string exact = R"({"run_id":"r","dimensions":{"num_riders":[)" + values.substr(0, values.rfind(',')) +
                            R"(]},"shard_count":1000,"replications":1000})";
  ApiResult<ValidatedRequest> at_limit = Validate(exact);
  ASSERT_TRUE(at_limit.ok()) << at_limit.error().message;
  EXPECT_EQ(at_limit->request.total_points, 200000u);
}

TEST(ReplicationsTest, ReplicateVariesFastestAndSeedsAreDistinct) {
  ApiResult<ValidatedRequest> v = Validate(kThreeByTwo);
  ASSERT_TRUE(v.ok());
  std::set<uint64_t> seeds;
  for (uint64_t point = 0; point < v->request.total_points; ++point) {
    Result<ResolvedPoint> p = ResolvePoint(v->request.dimensions, v->request.seed, point, v->request.replications);
    ASSERT_TRUE(p.ok());
    EXPECT_EQ(p->config_index, point / 4);
    EXPECT_EQ(p->replicate, point % 4);
    EXPECT_EQ(p->params.seed, PointSeed(9, point));
    seeds.insert(p->params.seed);
    // Configuration c is grid point c of the same dimensions without replications.
    Result<ResolvedPoint> grid = ResolvePoint(v->request.dimensions, v->request.seed, p->config_index);
    ASSERT_TRUE(grid.ok());
    EXPECT_EQ(p->params.num_drivers, grid->params.num_drivers);
    EXPECT_EQ(p->params.num_riders, grid->params.num_riders);
  }
  EXPECT_EQ(seeds.size(), 24u);
  EXPECT_FALSE(ResolvePoint(v->request.dimensions, 9, 24, 4).ok());  // past the last configuration
}

TEST(ReplicationsTest, PayloadCarriesReplicationsInBothForms) {
  ApiResult<ValidatedRequest> v = Validate(kThreeByTwo);
  ASSERT_TRUE(v.ok());
  for (size_t inline_max : {size_t{1} << 20, size_t{16}}) {
    ShardPayloadEncoder encoder(v->request, v->plan, "2026-02-14", "runs/run_id=rep/manifest.json",
                                v->request_fingerprint, inline_max);
    const std::string body = encoder.Encode(v->plan.shards[1]);
    EXPECT_TRUE(body.ends_with(",\"replications\":4}")) << body;
    Result<ShardPayload> decoded = DecodeShardPayload(body, "2026-02-14");
    ASSERT_TRUE(decoded.ok()) << decoded.status().message();
    EXPECT_EQ(decoded->replications, 4u);
    EXPECT_EQ(EncodeShardPayload(*decoded), body);
  }
  // Without replications the payload bytes do not mention it.
  ApiResult<ValidatedRequest> plain =
      Validate(R"({"run_id":"rep","dimensions":{"num_riders":[10]},"shard_count":1})");
  ASSERT_TRUE(plain.ok());
  ShardPayloadEncoder encoder(plain->request, plain->plan, "2026-02-14", "k", plain->request_fingerprint, 1 << 20);
  const std::string body = encoder.Encode(plain->plan.shards[0]);
  EXPECT_EQ(body.find("replications"), std::string::npos);
  EXPECT_EQ(DecodeShardPayload(body, "2026-02-14")->replications, 1u);
}

}  // namespace
}  // namespace ridesweep::sweep
