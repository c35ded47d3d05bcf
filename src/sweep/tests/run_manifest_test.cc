// The run manifest is canonical JSON in a fixed field order, decodes back to the same values, and guards
// reference-form payloads against tampering (T7).
#include "ridesweep/sweep/run_manifest.h"

#include "ridesweep/base/build_info.h"

#include <gtest/gtest.h>

#include <string>

#include "ridesweep/sweep/fingerprint.h"
#include "ridesweep/sweep/keys.h"

namespace ridesweep::sweep {
namespace {

ValidatedRequest Readme() {
  ApiResult<ValidatedRequest> v = ParseAndValidateRequestBytes(
      R"({"run_id":"demo-run-001","dimensions":{"commission_rate":[0.1,0.2],"num_drivers":[100,200],"num_riders":[500,800]},"shard_count":4,"seed":42,"failure_injection_shards":[1]})",
      {});
  EXPECT_TRUE(v.ok());
  return std::move(v).value();
}

TEST(RunManifestTest, EncodesFieldsInOrder) {
  const ValidatedRequest v = Readme();
  const RunManifest m = BuildRunManifest(v, "2026-02-14", "2026-02-14T10:11:12.123456+00:00", RequestSource::kApiGateway);
  EXPECT_EQ(EncodeRunManifest(m),
            R"({"schema_version":"v1","run_id":"demo-run-001","run_date":"2026-02-14",)"
            R"("request_fingerprint":"2e4a112fbb933b9bc47bfb5002c170036d550d6fe001227f304ab7bb50d45ea3",)"
            R"("config_fingerprint":"4f99775f5f389204a2285dffb8d0dcdef13c4a0e7ffe5c82d7d041a116ca5971",)"
            R"("created_at":"2026-02-14T10:11:12.123456+00:00","request_source":"api_gateway",)"
            R"("shard_strategy":"explicit_shard_count","max_shards_ceiling":1000,)"
            R"("shard_ranges":[[0,2],[2,4],[4,6],[6,8]],"normalized_request":)" +
                v.normalized_json + R"(,"build":{"version":")" + std::string(GetBuildInfo().version) +
                R"(","git_revision":")" + std::string(GetBuildInfo().git_revision) + R"("}})");
}

TEST(RunManifestTest, ManifestsWithoutABuildStillDecode) {
  RunManifest m = BuildRunManifest(Readme(), "2026-02-14", "t", RequestSource::kLocalCli);
  m.build_version.clear();
  m.build_git_revision.clear();
  const std::string text = EncodeRunManifest(m);
  EXPECT_EQ(text.find("\"build\""), std::string::npos);
  Result<RunManifest> decoded = DecodeRunManifest(text);
  ASSERT_TRUE(decoded.ok()) << decoded.status().message();
  EXPECT_EQ(decoded->build_version, "");
  EXPECT_EQ(EncodeRunManifest(*decoded), text);
}

TEST(RunManifestTest, RoundTrips) {
  const ValidatedRequest v = Readme();
  const RunManifest m = BuildRunManifest(v, "2026-02-14", "t", RequestSource::kLocalCli);
  const std::string text = EncodeRunManifest(m);
  Result<RunManifest> decoded = DecodeRunManifest(text);
  ASSERT_TRUE(decoded.ok()) << decoded.status().message();
  EXPECT_EQ(decoded->normalized_request, v.request);
  EXPECT_EQ(decoded->shard_ranges, v.plan.shards);
  EXPECT_EQ(decoded->request_source, "local_cli");
  EXPECT_EQ(EncodeRunManifest(*decoded), text);
  EXPECT_TRUE(VerifyManifestReference(*decoded, v.request_fingerprint).ok());
}

TEST(RunManifestTest, DetectsMismatchedReferences) {
  const ValidatedRequest v = Readme();
  RunManifest m = BuildRunManifest(v, "2026-02-14", "t", RequestSource::kApiGateway);
  const Status other = VerifyManifestReference(m, "00ff");
  EXPECT_EQ(other.code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(other.message(), "Request reference mismatch: expected 00ff, found " + v.request_fingerprint);

  // A tampered normalized_request no longer hashes to the stored fingerprint.
  m.normalized_request.seed = 43;
  const Status tampered = VerifyManifestReference(m, v.request_fingerprint);
  EXPECT_EQ(tampered.message(), "Request reference mismatch: expected " + v.request_fingerprint + ", found " +
                                    RequestFingerprint(m.normalized_request));
}

TEST(RunManifestTest, DecodeErrorsNameTheProblem) {
  EXPECT_EQ(DecodeRunManifest("{").status().message(),
            "Malformed run manifest: EOF while parsing an object at line 1 column 1");
  EXPECT_EQ(DecodeRunManifest("[]").status().message(), "Malformed run manifest: invalid type: sequence, expected a map");
  EXPECT_EQ(DecodeRunManifest(R"({"schema_version":"v1"})").status().message(),
            "Malformed run manifest: missing field `run_id`");
  const ValidatedRequest v = Readme();
  std::string text = EncodeRunManifest(BuildRunManifest(v, "2026-02-14", "t", RequestSource::kApiGateway));
  const std::string broken = text.replace(text.find("\"seed\":42"), 9, "\"seed\":\"x\"");
  EXPECT_EQ(DecodeRunManifest(broken).status().message(),
            "Malformed run manifest: normalized_request.seed: invalid type: string \"x\", expected i64");
}

TEST(RunManifestTest, KeyLivesOutsideEveryDataset) {
  EXPECT_EQ(StorageLayout("serverless-sweeps/outcomes").RunManifestKey("demo-run-001"),
            "serverless-sweeps/outcomes/runs/run_id=demo-run-001/manifest.json");
  EXPECT_EQ(StorageLayout("").RunManifestKey("r"), "runs/run_id=r/manifest.json");
}

}  // namespace
}  // namespace ridesweep::sweep
