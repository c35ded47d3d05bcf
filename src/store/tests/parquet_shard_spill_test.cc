// ParquetShardSpill (the per_shard layout's rows): files read back with DuckDB come out in point order whatever
// the append order, with point_index as the last column (effective_parameters keeps its own), the bytes do not
// depend on the append order, an empty spill gives schema-only files, and the spill's directory is removed.
#include "ridesweep/store/parquet_shard_spill.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "parquet_reader.h"

namespace ridesweep::store {
namespace {

using testing::ParquetReader;

struct PointRows {
  sweep::ShardMetricsRow metrics;
  std::vector<sim::TripRow> trips;
  std::vector<sim::SnapshotRow> snapshots;
  sweep::EffectiveParametersRow parameters;
};

// Point p has p trips (entities 10p, 10p+1, …) and two snapshots.
PointRows RowsOf(uint64_t point) {
  PointRows rows;
  rows.metrics.metrics.total_riders = static_cast<int64_t>(100 + point);
  rows.metrics.config_index = static_cast<int64_t>(point);
  for (uint64_t i = 0; i < point; ++i) {
    sim::TripRow trip{};
    trip.trip_entity = static_cast<int64_t>(10 * point + i);
    rows.trips.push_back(trip);
  }
  for (int64_t t : {0, 1000}) {
    sim::SnapshotRow snapshot{};
    snapshot.timestamp_ms = t;
    rows.snapshots.push_back(snapshot);
  }
  rows.parameters.run_id = "r";
  rows.parameters.point_index = static_cast<int64_t>(point);
  rows.parameters.effective_parameters_json = "{\"p\":" + std::to_string(point) + "}";
  return rows;
}

std::vector<std::string> EncodeAll(const std::vector<uint64_t>& order) {
  Result<std::unique_ptr<ParquetShardSpill>> spill = ParquetShardSpill::Create();
  EXPECT_TRUE(spill.ok()) << spill.status().message();
  if (!spill.ok()) return {};
  for (uint64_t point : order) {
    const PointRows rows = RowsOf(point);
    EXPECT_TRUE((*spill)->AppendPoint(point, rows.metrics, rows.trips, rows.snapshots, rows.parameters).ok());
  }
  std::vector<std::string> files;
  for (sweep::Dataset d : {sweep::Dataset::kShardMetrics, sweep::Dataset::kTripData, sweep::Dataset::kSnapshotCounts,
                           sweep::Dataset::kEffectiveParameters}) {
    Result<std::string> bytes = (*spill)->Encode(d);
    EXPECT_TRUE(bytes.ok()) << bytes.status().message();
    files.push_back(bytes.ok() ? *bytes : "");
  }
  return files;
}

TEST(ParquetShardSpillTest, RowsComeOutInPointOrderWithPointIndexLast) {
  const std::vector<std::string> files = EncodeAll({3, 1, 2});
  ASSERT_EQ(files.size(), 4u);
  ParquetReader reader;
  const std::string trips = reader.Load(files[1]);
  EXPECT_EQ(reader.Query("SELECT trip_entity, point_index FROM read_parquet(" + trips + ")"),
            (std::vector<testing::Row>{{"10", "1"}, {"20", "2"}, {"21", "2"}, {"30", "3"}, {"31", "3"}, {"32", "3"}}));
  EXPECT_EQ(reader.Scalar("SELECT list(name)[-1] FROM parquet_schema(" + trips + ")"),
            "point_index");
  const std::string metrics = reader.Load(files[0]);
  EXPECT_EQ(reader.Query("SELECT total_riders, point_index FROM read_parquet(" + metrics + ")"),
            (std::vector<testing::Row>{{"101", "1"}, {"102", "2"}, {"103", "3"}}));
  const std::string snapshots = reader.Load(files[2]);
  EXPECT_EQ(reader.Scalar("SELECT string_agg(point_index || ':' || timestamp_ms, ',') FROM read_parquet(" +
                          snapshots + ")"),
            "1:0,1:1000,2:0,2:1000,3:0,3:1000");
  const std::string parameters = reader.Load(files[3]);
  EXPECT_EQ(reader.Scalar("SELECT count(*) FROM parquet_schema(" + parameters + ") WHERE name = 'point_index'"), "1");
  EXPECT_EQ(reader.Query("SELECT point_index, effective_parameters_json FROM read_parquet(" + parameters + ")"),
            (std::vector<testing::Row>{{"1", "{\"p\":1}"}, {"2", "{\"p\":2}"}, {"3", "{\"p\":3}"}}));
}

TEST(ParquetShardSpillTest, BytesDoNotDependOnTheAppendOrder) {
  EXPECT_EQ(EncodeAll({1, 2, 3}), EncodeAll({3, 1, 2}));
}

TEST(ParquetShardSpillTest, AnEmptySpillGivesSchemaOnlyFiles) {
  const std::vector<std::string> files = EncodeAll({});
  ASSERT_EQ(files.size(), 4u);
  ParquetReader reader;
  const std::string trips = reader.Load(files[1]);
  EXPECT_EQ(reader.Scalar("SELECT count(*) FROM read_parquet(" + trips + ")"), "0");
}

TEST(ParquetShardSpillTest, TheDirectoryIsRemovedWithTheSpill) {
  std::filesystem::path directory;
  {
    Result<std::unique_ptr<ParquetShardSpill>> spill = ParquetShardSpill::Create();
    ASSERT_TRUE(spill.ok());
    directory = (*spill)->directory();
    EXPECT_TRUE(std::filesystem::is_directory(directory));
    const PointRows rows = RowsOf(2);
    ASSERT_TRUE((*spill)->AppendPoint(2, rows.metrics, rows.trips, rows.snapshots, rows.parameters).ok());
    ASSERT_TRUE((*spill)->Encode(sweep::Dataset::kTripData).ok());
  }
  EXPECT_FALSE(std::filesystem::exists(directory));
}

TEST(ParquetShardSpillTest, APooledSpillStartsEmptyAndWritesTheSameBytes) {
  const sweep::ShardSpillFactory factory = ParquetShardSpillFactory();
  std::vector<std::string> first;
  for (int shard = 0; shard < 3; ++shard) {  // the second and third spills are the first one, reused
    Result<std::unique_ptr<sweep::ShardSpill>> spill = factory();
    ASSERT_TRUE(spill.ok()) << spill.status().message();
    for (uint64_t point : {2u, 1u}) {
      const PointRows rows = RowsOf(point);
      ASSERT_TRUE((*spill)->AppendPoint(point, rows.metrics, rows.trips, rows.snapshots, rows.parameters).ok());
    }
    std::vector<std::string> files;
    for (sweep::Dataset d : {sweep::Dataset::kShardMetrics, sweep::Dataset::kTripData}) {
      Result<std::string> bytes = (*spill)->Encode(d);
      ASSERT_TRUE(bytes.ok());
      files.push_back(*bytes);
    }
    if (shard == 0) {
      first = files;
    } else {
      EXPECT_EQ(files, first) << "shard " << shard;
    }
  }
  ParquetReader reader;
  EXPECT_EQ(reader.Scalar("SELECT count(*) FROM read_parquet(" + reader.Load(first[1]) + ")"), "3");
}

// Rows beyond the spill's memory limit go to its temporary directory instead of failing or growing the heap.
TEST(ParquetShardSpillTest, RowsBeyondTheMemoryLimitSpillToDisk) {
  Result<std::unique_ptr<ParquetShardSpill>> spill = ParquetShardSpill::Create({.parent_dir = {}, .memory_limit = "64MB"});
  ASSERT_TRUE(spill.ok()) << spill.status().message();
  std::vector<sim::SnapshotRow> snapshots(50'000);
  for (size_t i = 0; i < snapshots.size(); ++i) {
    snapshots[i].timestamp_ms = static_cast<int64_t>(i);
    snapshots[i].riders_waiting = static_cast<int64_t>(i * 7919 % 1000);
  }
  const PointRows rows = RowsOf(1);
  // 800,000 snapshot rows of 17 BIGINT columns (with point_index and the arrival number): ~110 MB, over the limit
  // (which must still hold one row group of the Parquet writer, ~17 MB here).
  constexpr uint64_t kPoints = 16;
  for (uint64_t point = 0; point < kPoints; ++point) {
    ASSERT_TRUE((*spill)->AppendPoint(point, rows.metrics, {}, snapshots, rows.parameters).ok());
  }
  Result<std::string> bytes = (*spill)->Encode(sweep::Dataset::kSnapshotCounts);
  ASSERT_TRUE(bytes.ok()) << bytes.status().message();
  uint64_t spilled = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator((*spill)->directory())) {
    if (entry.is_regular_file()) spilled += entry.file_size();
  }
  EXPECT_GT(spilled, 0u);
  ParquetReader reader;
  EXPECT_EQ(reader.Scalar("SELECT count(*) FROM read_parquet(" + reader.Load(*bytes) + ")"), "800000");
}

TEST(ParquetShardSpillTest, AnUnusableParentDirectoryIsAnInternalError) {
  Result<std::unique_ptr<ParquetShardSpill>> spill =
      ParquetShardSpill::Create({.parent_dir = "/nonexistent/ridesweep-spill-parent"});
  ASSERT_FALSE(spill.ok());
  EXPECT_EQ(spill.status().code(), StatusCode::kInternal);
}

}  // namespace
}  // namespace ridesweep::store
