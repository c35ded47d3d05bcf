// s3:// results locations: URL parsing, the execute-api region rule of `submit`, and which objects the private
// copy of a run takes (a MemoryStore stands in for the bucket; the real S3 path runs in tests/operator_cli).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "commands/s3_results.h"
#include "commands/submit_command.h"
#include "ridesweep/store/memory_store.h"
#include "ridesweep/sweep/keys.h"
#include "ridesweep/sweep/request_validation.h"
#include "ridesweep/sweep/run_manifest.h"

namespace ridesweep::cli {
namespace {

constexpr std::string_view kPrefix = "serverless-sweeps/outcomes";

TEST(S3ResultsUrlTest, ParsesBucketAndRoot) {
  EXPECT_TRUE(IsS3ResultsUrl("s3://b"));
  EXPECT_FALSE(IsS3ResultsUrl("./sweep-results"));
  Result<S3ResultsUrl> bare = ParseS3ResultsUrl("s3://ride-sim-results");
  ASSERT_TRUE(bare.ok());
  EXPECT_EQ(bare->bucket, "ride-sim-results");
  EXPECT_EQ(bare->root, "");
  EXPECT_EQ(bare->ToString(), "s3://ride-sim-results");
  Result<S3ResultsUrl> rooted = ParseS3ResultsUrl("s3://my.bucket/archive/2026/");
  ASSERT_TRUE(rooted.ok());
  EXPECT_EQ(rooted->bucket, "my.bucket");
  EXPECT_EQ(rooted->root, "archive/2026");
  EXPECT_EQ(rooted->ToString(), "s3://my.bucket/archive/2026");
  EXPECT_EQ(ParseS3ResultsUrl("s3://b/").value().root, "");
}

TEST(S3ResultsUrlTest, RejectsMalformedLocations) {
  for (const char* bad : {"s3://", "s3:///x", "s3://bad bucket/x", "s3://b?x/y", "http://b/x"}) {
    Result<S3ResultsUrl> parsed = ParseS3ResultsUrl(bad);
    ASSERT_FALSE(parsed.ok()) << bad;
    EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(parsed.status().message(),
              "invalid S3 results location '" + std::string(bad) + "': expected s3://BUCKET[/PREFIX]");
  }
}

TEST(SubmitRegionTest, ReadsTheRegionOfExecuteApiHosts) {
  EXPECT_EQ(RegionOfExecuteApiHost("a1b2c3d4e5.execute-api.eu-central-1.amazonaws.com"), "eu-central-1");
  EXPECT_EQ(RegionOfExecuteApiHost("a1b2c3d4e5.execute-api.us-east-1.amazonaws.com:443"), "us-east-1");
  EXPECT_EQ(RegionOfExecuteApiHost("a1b2c3d4e5.execute-api.cn-north-1.amazonaws.com.cn"), "cn-north-1");
  EXPECT_EQ(RegionOfExecuteApiHost("127.0.0.1:8080"), std::nullopt);
  EXPECT_EQ(RegionOfExecuteApiHost("api.example.com"), std::nullopt);
  EXPECT_EQ(RegionOfExecuteApiHost("x.execute-api.eu-west-1.example.com"), std::nullopt);
  EXPECT_EQ(RegionOfExecuteApiHost(".execute-api.eu-west-1.amazonaws.com"), std::nullopt);
}

std::string ManifestJson(const std::string& run_id, const std::string& run_date) {
  const std::string request = R"({"run_id":")" + run_id + R"(","dimensions":{"num_riders":[1,2]},"shard_count":2})";
  sweep::ApiResult<sweep::ValidatedRequest> validated = sweep::ParseAndValidateRequestBytes(request, {});
  EXPECT_TRUE(validated.ok());
  return sweep::EncodeRunManifest(sweep::BuildRunManifest(
      validated.value(), run_date, run_date + "T10:00:00.000000+00:00", sweep::RequestSource::kLocalCli));
}

std::set<std::string> FilesUnder(const std::filesystem::path& root) {
  std::set<std::string> files;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
    if (entry.is_regular_file()) files.insert(entry.path().lexically_relative(root).generic_string());
  }
  return files;
}

class RunCopyTest : public ::testing::Test {
 protected:
  void Put(const std::string& key) { ASSERT_TRUE(bucket_.Put(key, "bytes of " + key, "").ok()); }

  store::MemoryStore bucket_;
  sweep::StorageLayout layout_{kPrefix};
};

TEST_F(RunCopyTest, CopiesTheRunUnderTheManifestsDateOnly) {
  const std::string manifest = layout_.RunManifestKey("r1");
  ASSERT_TRUE(bucket_.Put(manifest, ManifestJson("r1", "2026-02-14"), "").ok());
  const std::string metrics = layout_.PointKey(sweep::Dataset::kShardMetrics, "2026-02-14", "r1", 0, 0);
  const std::string params = layout_.PointKey(sweep::Dataset::kEffectiveParameters, "2026-02-14", "r1", 0, 0);
  const std::string outcome = layout_.ShardOutcomeKey("2026-02-14", "r1", sweep::RecordStatus::kSuccess, 0);
  const std::string context = layout_.RunContextKey("2026-02-14", "r1");
  for (const std::string& key : {metrics, params, outcome, context}) Put(key);
  Put(layout_.PointKey(sweep::Dataset::kShardMetrics, "2026-02-14", "r10", 0, 0));  // another run, same date
  Put(layout_.PointKey(sweep::Dataset::kTripData, "2026-02-15", "r1", 0, 0));       // another date
  Put(layout_.RunManifestKey("r2"));

  std::string copy_dir;
  {
    Result<std::unique_ptr<RunResults>> copy =
        RunResults::CopyRun(bucket_, "s3://b", std::string(kPrefix), "r1", std::nullopt);
    ASSERT_TRUE(copy.ok()) << copy.status().message();
    copy_dir = (*copy)->dir();
    EXPECT_EQ((*copy)->prefix(), kPrefix);
    EXPECT_EQ((*copy)->objects_copied(), 5u);
    EXPECT_EQ(FilesUnder(copy_dir), (std::set<std::string>{manifest, metrics, params, outcome, context}));
    std::ifstream file(std::filesystem::path(copy_dir) / metrics, std::ios::binary);
    std::stringstream bytes;
    bytes << file.rdbuf();
    EXPECT_EQ(bytes.str(), "bytes of " + metrics);
    const std::string absolute = std::filesystem::absolute(copy_dir).lexically_normal().generic_string();
    EXPECT_EQ((*copy)->Describe("no run under " + absolute + "/" + std::string(kPrefix) + " (" + absolute + ")"),
              "no run under s3://b/" + std::string(kPrefix) + " (s3://b)");
  }
  EXPECT_FALSE(std::filesystem::exists(copy_dir)) << "the copy outlived its RunResults";
}

TEST_F(RunCopyTest, AnExtraRunDateIsCopiedToo) {
  ASSERT_TRUE(bucket_.Put(layout_.RunManifestKey("r1"), ManifestJson("r1", "2026-02-14"), "").ok());
  const std::string other = layout_.PointKey(sweep::Dataset::kTripData, "2026-02-15", "r1", 0, 0);
  Put(other);
  Result<std::unique_ptr<RunResults>> copy =
      RunResults::CopyRun(bucket_, "s3://b", std::string(kPrefix), "r1", std::string("2026-02-15"));
  ASSERT_TRUE(copy.ok());
  EXPECT_EQ(FilesUnder((*copy)->dir()), (std::set<std::string>{layout_.RunManifestKey("r1"), other}));
}

TEST_F(RunCopyTest, WithoutAManifestEveryDateOfTheRunIsCopied) {
  const std::string a = layout_.PointKey(sweep::Dataset::kSnapshotCounts, "2026-02-14", "r1", 1, 3);
  const std::string b = layout_.ShardOutcomeKey("2026-02-16", "r1", sweep::RecordStatus::kFailure, 1);
  Put(a);
  Put(b);
  Put(layout_.ShardOutcomeKey("2026-02-16", "r11", sweep::RecordStatus::kFailure, 1));
  Put(std::string(kPrefix) + "/dataset=shard_outcomes/notes.txt");
  Result<std::unique_ptr<RunResults>> copy = RunResults::CopyRun(bucket_, "s3://b", std::string(kPrefix), "r1", {});
  ASSERT_TRUE(copy.ok());
  EXPECT_EQ(FilesUnder((*copy)->dir()), (std::set<std::string>{a, b}));
}

TEST_F(RunCopyTest, AnInvalidRunIdCopiesNothing) {
  Put(layout_.RunManifestKey("r1"));
  Result<std::unique_ptr<RunResults>> copy = RunResults::CopyRun(bucket_, "s3://b", std::string(kPrefix), "../x", {});
  ASSERT_TRUE(copy.ok());
  EXPECT_TRUE(std::filesystem::is_directory((*copy)->dir()));
  EXPECT_TRUE(FilesUnder((*copy)->dir()).empty());
}

TEST(RunResultsTest, LocalResultsAreUsedInPlace) {
  Result<std::unique_ptr<RunResults>> local = RunResults::Open("./sweep-results", "p", "r1");
  ASSERT_TRUE(local.ok());
  EXPECT_EQ((*local)->dir(), "./sweep-results");
  EXPECT_EQ((*local)->prefix(), "p");
  EXPECT_EQ((*local)->Describe("text /tmp/x"), "text /tmp/x");
  EXPECT_EQ((*local)->objects_copied(), 0u);
}

}  // namespace
}  // namespace ridesweep::cli
