// The request field `layout` (output_layout.h): names, validation (400 listing the names), the canonical request
// (omitted when per_point, so existing fingerprints hold), the manifest's normalized request, the shard payload and
// the per_shard keys.
#include "ridesweep/sweep/output_layout.h"

#include <gtest/gtest.h>

#include <string>

#include "ridesweep/base/json_parser.h"
#include "ridesweep/sweep/errors.h"
#include "ridesweep/sweep/fingerprint.h"
#include "ridesweep/sweep/keys.h"
#include "ridesweep/sweep/normalized_request.h"
#include "ridesweep/sweep/request_validation.h"
#include "ridesweep/sweep/shard_payload.h"

namespace ridesweep::sweep {
namespace {

constexpr std::string_view kBase = R"("run_id":"r1","dimensions":{"num_riders":[4,5]},"shard_count":1)";

std::string Request(std::string_view extra) { return "{" + std::string(kBase) + std::string(extra) + "}"; }

TEST(OutputLayoutTest, NamesRoundTrip) {
  EXPECT_EQ(OutputLayoutName(OutputLayout::kPerPoint), "per_point");
  EXPECT_EQ(OutputLayoutName(OutputLayout::kPerShard), "per_shard");
  EXPECT_EQ(OutputLayoutFromName("per_shard"), OutputLayout::kPerShard);
  EXPECT_EQ(OutputLayoutFromName("per_point"), OutputLayout::kPerPoint);
  EXPECT_EQ(OutputLayoutFromName("PER_SHARD"), std::nullopt);
  EXPECT_EQ(OutputLayoutFromName(""), std::nullopt);
}

TEST(OutputLayoutTest, DefaultIsOmittedFromTheCanonicalRequest) {
  ApiResult<ValidatedRequest> plain = ParseAndValidateRequestBytes(Request(""), {});
  ApiResult<ValidatedRequest> explicit_default = ParseAndValidateRequestBytes(Request(R"(,"layout":"per_point")"), {});
  ASSERT_TRUE(plain.ok() && explicit_default.ok());
  EXPECT_EQ(plain->request.layout, OutputLayout::kPerPoint);
  EXPECT_EQ(NormalizedRequestJson(explicit_default->request).find("layout"), std::string::npos);
  EXPECT_EQ(plain->request_fingerprint, explicit_default->request_fingerprint);
}

TEST(OutputLayoutTest, PerShardIsCanonicalAndChangesTheFingerprint) {
  ApiResult<ValidatedRequest> plain = ParseAndValidateRequestBytes(Request(""), {});
  ApiResult<ValidatedRequest> compact = ParseAndValidateRequestBytes(Request(R"(,"layout":"per_shard")"), {});
  ASSERT_TRUE(plain.ok() && compact.ok());
  EXPECT_EQ(compact->request.layout, OutputLayout::kPerShard);
  const std::string json = NormalizedRequestJson(compact->request);
  EXPECT_TRUE(json.ends_with(R"(,"layout":"per_shard"})")) << json;
  EXPECT_NE(plain->request_fingerprint, compact->request_fingerprint);
  // The manifest stores the canonical request; reading it back keeps the layout.
  Result<JsonValue> parsed = ParseJson(json);
  ASSERT_TRUE(parsed.ok());
  Result<NormalizedRequest> back = NormalizedRequestFromJson(*parsed);
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(back->layout, OutputLayout::kPerShard);
  EXPECT_EQ(*back, compact->request);
}

TEST(OutputLayoutTest, ManifestRequestWithoutLayoutIsPerPoint) {
  Result<JsonValue> parsed = ParseJson(
      R"({"run_id":"r1","dimensions":{"num_riders":[4]},"total_points":1,"shard_count":1,"shard_size":null,)"
      R"("max_shards":1000,"seed":0,"failure_injection_shards":[]})");
  ASSERT_TRUE(parsed.ok());
  Result<NormalizedRequest> r = NormalizedRequestFromJson(*parsed);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->layout, OutputLayout::kPerPoint);
}

TEST(OutputLayoutTest, UnknownLayoutIsA400ListingTheNames) {
  ApiResult<ValidatedRequest> v = ParseAndValidateRequestBytes(Request(R"(,"layout":"columnar")"), {});
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.error().status_code, 400);
  EXPECT_EQ(v.error().message, "Unknown layout 'columnar' (expected per_point or per_shard)");
}

TEST(OutputLayoutTest, NonStringLayoutIsMalformed) {
  ApiResult<ValidatedRequest> v = ParseAndValidateRequestBytes(Request(R"(,"layout":3)"), {});
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.error().status_code, 400);
  EXPECT_TRUE(v.error().message.starts_with(errors::kMalformedRequestPrefix)) << v.error().message;
}

TEST(OutputLayoutTest, PayloadCarriesPerShardInBothForms) {
  ApiResult<ValidatedRequest> v = ParseAndValidateRequestBytes(Request(R"(,"layout":"per_shard")"), {});
  ASSERT_TRUE(v.ok());
  for (size_t inline_max : {size_t{1} << 20, size_t{1}}) {  // inline, then reference form
    const ShardPayloadEncoder encoder(v->request, v->plan, "2026-02-14", "runs/run_id=r1/request.json",
                                      v->request_fingerprint, inline_max);
    const std::string body = encoder.Encode(v->plan.shards.at(0));
    EXPECT_TRUE(body.ends_with(R"(,"layout":"per_shard"})")) << body;
    Result<ShardPayload> decoded = DecodeShardPayload(body, "2026-02-14");
    ASSERT_TRUE(decoded.ok()) << decoded.status().message();
    EXPECT_EQ(decoded->layout, OutputLayout::kPerShard);
    EXPECT_EQ(EncodeShardPayload(*decoded), body);
  }
}

TEST(OutputLayoutTest, PayloadWithoutLayoutIsPerPointAndABadOneIsRejected) {
  ApiResult<ValidatedRequest> v = ParseAndValidateRequestBytes(Request(""), {});
  ASSERT_TRUE(v.ok());
  const ShardPayloadEncoder encoder(v->request, v->plan, "2026-02-14", "k", v->request_fingerprint, 1 << 20);
  std::string body = encoder.Encode(v->plan.shards.at(0));
  EXPECT_EQ(body.find("layout"), std::string::npos);
  Result<ShardPayload> decoded = DecodeShardPayload(body, "2026-02-14");
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(decoded->layout, OutputLayout::kPerPoint);
  body.insert(body.size() - 1, R"(,"layout":"per_row")");
  Result<ShardPayload> bad = DecodeShardPayload(body, "2026-02-14");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("Unknown layout 'per_row'"), std::string::npos) << bad.status().message();
}

TEST(OutputLayoutTest, PerShardKeys) {
  const StorageLayout layout("results/");
  EXPECT_EQ(layout.ShardKey(Dataset::kTripData, "2026-02-14", "r1", 3),
            "results/dataset=trip_data_per_shard/run_date=2026-02-14/run_id=r1/status=success/shard_id=3/"
            "part-0.parquet");
  EXPECT_EQ(layout.ShardKey(Dataset::kEffectiveParameters, "2026-02-14", "r1", 0),
            "results/dataset=effective_parameters_per_shard/run_date=2026-02-14/run_id_partition=r1/"
            "status_partition=success/shard_id_partition=0/part-0.parquet");
  EXPECT_EQ(PerShardDatasetName(Dataset::kShardMetrics), "shard_metrics_per_shard");
  EXPECT_EQ(layout.PerShardDatasetPrefix(Dataset::kSnapshotCounts), "results/dataset=snapshot_counts_per_shard/");
}

TEST(OutputLayoutTest, PerShardKeysParseBack) {
  const StorageLayout layout("results");
  for (Dataset d : {Dataset::kShardMetrics, Dataset::kTripData, Dataset::kSnapshotCounts,
                    Dataset::kEffectiveParameters}) {
    Result<PartitionIdentity> id = ParseStorageKey(layout.ShardKey(d, "2026-02-14", "r1", 3), "results");
    ASSERT_TRUE(id.ok()) << id.status().message();
    EXPECT_EQ(id->dataset, d);
    EXPECT_EQ(id->layout, OutputLayout::kPerShard);
    EXPECT_EQ(id->run_id, "r1");
    EXPECT_EQ(id->shard_id, 3u);
    EXPECT_EQ(id->point_index, std::nullopt);
    Result<PartitionIdentity> point = ParseStorageKey(layout.PointKey(d, "2026-02-14", "r1", 3, 7), "results");
    ASSERT_TRUE(point.ok());
    EXPECT_EQ(point->layout, OutputLayout::kPerPoint);
    EXPECT_EQ(point->point_index, 7u);
  }
  // A per_shard name with a point_index level, and a per_shard outcome dataset, are not keys we write.
  EXPECT_FALSE(ParseStorageKey("results/dataset=trip_data_per_shard/run_date=2026-02-14/run_id=r1/status=success/"
                               "shard_id=3/point_index=1/part-0.parquet",
                               "results")
                   .ok());
  EXPECT_FALSE(ParseStorageKey("results/dataset=shard_outcomes_per_shard/run_date=2026-02-14/run_id_partition=r1/"
                               "status_partition=success/shard_id_partition=3/part-0.parquet",
                               "results")
                   .ok());
}

}  // namespace
}  // namespace ridesweep::sweep
