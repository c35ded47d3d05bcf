// RouteToLayout: whole-word routing of the per-point tables to their per_shard views, nothing else touched.
#include "ridesweep/analytics/layout_tables.h"

#include <gtest/gtest.h>

namespace ridesweep::analytics {
namespace {

using sweep::OutputLayout;

TEST(LayoutTablesTest, NamesComeFromTheDatasets) {
  EXPECT_EQ(TableName(sweep::Dataset::kShardOutcomes), "sweep_shard_outcomes");
  EXPECT_EQ(PerShardTableName(sweep::Dataset::kTripData), "sweep_trip_data_per_shard");
  EXPECT_EQ(PerShardTableName(sweep::Dataset::kEffectiveParameters), "sweep_effective_parameters_per_shard");
}

TEST(LayoutTablesTest, PerPointRunsKeepTheirStatements) {
  const std::string sql = "SELECT * FROM db.sweep_trip_data t JOIN db.sweep_shard_metrics m ON 1 = 1";
  EXPECT_EQ(RouteToLayout(sql, OutputLayout::kPerPoint), sql);
}

TEST(LayoutTablesTest, PerShardRunsReadThePerShardViews) {
  EXPECT_EQ(RouteToLayout("SELECT * FROM db.sweep_trip_data t JOIN db.sweep_shard_metrics m ON 1 = 1",
                          OutputLayout::kPerShard),
            "SELECT * FROM db.sweep_trip_data_per_shard t JOIN db.sweep_shard_metrics_per_shard m ON 1 = 1");
  EXPECT_EQ(RouteToLayout("FROM sweep_snapshot_counts\n,sweep_effective_parameters;", OutputLayout::kPerShard),
            "FROM sweep_snapshot_counts_per_shard\n,sweep_effective_parameters_per_shard;");
  // At the very start and end of the text too.
  EXPECT_EQ(RouteToLayout("sweep_trip_data", OutputLayout::kPerShard), "sweep_trip_data_per_shard");
}

TEST(LayoutTablesTest, OnlyWholeWordsOfThePointTablesAreRouted) {
  // Run-level tables, longer names sharing a prefix, names ending in a table name, and already-routed names.
  for (const char* sql : {"SELECT * FROM db.sweep_shard_outcomes", "SELECT * FROM db.sweep_run_context",
                          "SELECT * FROM db.sweep_trip_data_per_point", "SELECT * FROM db.sweep_trip_data_per_shard",
                          "SELECT * FROM db.old_sweep_trip_data", "SELECT * FROM db.sweep_trip_data2",
                          "SELECT * FROM db.sweep_points", "SELECT 1"}) {
    EXPECT_EQ(RouteToLayout(sql, OutputLayout::kPerShard), sql) << sql;
  }
  EXPECT_EQ(RouteToLayout("", OutputLayout::kPerShard), "");
}

}  // namespace
}  // namespace ridesweep::analytics
