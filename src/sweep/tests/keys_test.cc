// Key builders: prefix trimming, empty prefix, every template, and parsing keys back into partition identities.
#include "ridesweep/sweep/keys.h"

#include <gtest/gtest.h>

namespace ridesweep::sweep {
namespace {

TEST(KeysTest, PrefixIsTrimmedOfSlashes) {
  EXPECT_EQ(NormalizeResultsPrefix("/a/b//"), "a/b");
  EXPECT_EQ(NormalizeResultsPrefix("///"), "");
  EXPECT_EQ(NormalizeResultsPrefix(""), "");
  EXPECT_EQ(StorageLayout("//outcomes/").prefix(), "outcomes");
}

TEST(KeysTest, EmptyPrefixStartsAtDataset) {
  const StorageLayout layout("/");
  EXPECT_EQ(layout.PointKey(Dataset::kShardMetrics, "2026-02-14", "r", 0, 10),
            "dataset=shard_metrics/run_date=2026-02-14/run_id=r/status=success/shard_id=0/point_index=10/"
            "part-0.parquet");
  EXPECT_EQ(layout.RunContextKey("2026-02-14", "r"),
            "dataset=run_context/run_date=2026-02-14/run_id_partition=r/status_partition=accepted/part-0.parquet");
  EXPECT_EQ(layout.DatasetPrefix(Dataset::kTripData), "dataset=trip_data/");
}

TEST(KeysTest, EffectiveParametersAndOutcomesUsePartitionSuffixes) {
  const StorageLayout layout("p");
  EXPECT_EQ(layout.PointKey(Dataset::kEffectiveParameters, "2026-02-14", "r", 10, 2),
            "p/dataset=effective_parameters/run_date=2026-02-14/run_id_partition=r/status_partition=success/"
            "shard_id_partition=10/point_index_partition=2/part-0.parquet");
  EXPECT_EQ(layout.ShardOutcomeKey("2026-02-14", "r", RecordStatus::kFailure, 3),
            "p/dataset=shard_outcomes/run_date=2026-02-14/run_id_partition=r/status_partition=failure/"
            "shard_id_partition=3/part-0.parquet");
  EXPECT_EQ(layout.DatasetPrefix(Dataset::kShardOutcomes), "p/dataset=shard_outcomes/");
}

// Every key of a run starts with its dataset's run prefix, whichever spelling of the run partition it uses.
TEST(KeysTest, RunPrefixIsTheCommonStartOfTheRunsKeys) {
  const StorageLayout layout("p");
  EXPECT_EQ(layout.RunPrefix(Dataset::kTripData, "2026-02-14", "r"), "p/dataset=trip_data/run_date=2026-02-14/run_id=r/");
  EXPECT_EQ(layout.RunPrefix(Dataset::kRunContext, "2026-02-14", "r"),
            "p/dataset=run_context/run_date=2026-02-14/run_id_partition=r/");
  for (Dataset dataset : {Dataset::kShardMetrics, Dataset::kTripData, Dataset::kSnapshotCounts,
                          Dataset::kEffectiveParameters}) {
    EXPECT_TRUE(layout.PointKey(dataset, "2026-02-14", "r", 1, 2).starts_with(layout.RunPrefix(dataset, "2026-02-14", "r")))
        << DatasetName(dataset);
  }
  EXPECT_TRUE(layout.ShardOutcomeKey("2026-02-14", "r", RecordStatus::kSuccess, 1)
                  .starts_with(layout.RunPrefix(Dataset::kShardOutcomes, "2026-02-14", "r")));
  EXPECT_TRUE(layout.RunContextKey("2026-02-14", "r").starts_with(layout.RunPrefix(Dataset::kRunContext, "2026-02-14", "r")));
}

TEST(KeysTest, MetricsAndEffectiveParametersShareTheJoinIdentity) {
  const StorageLayout layout("serverless-sweeps/outcomes");
  Result<PartitionIdentity> metrics =
      ParseStorageKey(layout.PointKey(Dataset::kShardMetrics, "2026-02-14", "run-1", 4, 9), layout.prefix());
  Result<PartitionIdentity> effective =
      ParseStorageKey(layout.PointKey(Dataset::kEffectiveParameters, "2026-02-14", "run-1", 4, 9),
                      "/" + layout.prefix() + "/");
  ASSERT_TRUE(metrics.ok() && effective.ok());
  EXPECT_EQ(metrics->run_date, effective->run_date);
  EXPECT_EQ(metrics->run_id, effective->run_id);
  EXPECT_EQ(metrics->status, effective->status);
  EXPECT_EQ(metrics->shard_id, effective->shard_id);
  EXPECT_EQ(metrics->point_index, effective->point_index);
  EXPECT_EQ(metrics->dataset, Dataset::kShardMetrics);
  EXPECT_EQ(effective->dataset, Dataset::kEffectiveParameters);
}

TEST(KeysTest, ParsesRunContextAndOutcomeKeys) {
  const StorageLayout layout("");
  Result<PartitionIdentity> rc = ParseStorageKey(layout.RunContextKey("2026-02-14", "r"), "");
  ASSERT_TRUE(rc.ok());
  EXPECT_EQ(rc->status, "accepted");
  EXPECT_FALSE(rc->shard_id.has_value());
  Result<PartitionIdentity> outcome =
      ParseStorageKey(layout.ShardOutcomeKey("2026-02-14", "r", RecordStatus::kSuccess, 12), "");
  ASSERT_TRUE(outcome.ok());
  EXPECT_EQ(outcome->shard_id, 12u);
  EXPECT_FALSE(outcome->point_index.has_value());
}

TEST(KeysTest, RejectsKeysThatDoNotFollowATemplate) {
  const char* kBad[] = {
      "runs/run_id=r/manifest.json",
      "dataset=shard_metrics/run_date=d/run_id=r/status=success/shard_id=0/point_index=1/part-1.parquet",
      "dataset=shard_metrics/run_date=d/run_id_partition=r/status=success/shard_id=0/point_index=1/part-0.parquet",
      "dataset=shard_metrics/run_date=d/run_id=r/status=success/shard_id=01/point_index=1/part-0.parquet",
      "dataset=shard_metrics/run_date=d/run_id=r/status=success/shard_id=x/point_index=1/part-0.parquet",
      "dataset=shard_metrics/run_date=d/run_id=r/status=success/shard_id=0/part-0.parquet",
      "dataset=unknown/run_date=d/run_id=r/status=success/shard_id=0/point_index=1/part-0.parquet",
      "dataset=run_context/run_date=d/run_id_partition=/status_partition=accepted/part-0.parquet",
      "other/dataset=run_context/run_date=d/run_id_partition=r/status_partition=accepted/part-0.parquet",
  };
  for (const char* key : kBad) EXPECT_FALSE(ParseStorageKey(key, "").ok()) << key;
  const char* other_prefix =
      "p2/dataset=run_context/run_date=d/run_id_partition=r/status_partition=accepted/part-0.parquet";
  EXPECT_FALSE(ParseStorageKey(other_prefix, "p").ok());
}

}  // namespace
}  // namespace ridesweep::sweep
