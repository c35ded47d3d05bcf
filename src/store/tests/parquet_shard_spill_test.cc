// ParquetShardSpill (the per_shard layout's rows): files read back with DuckDB come out in point order whatever
// the append order or the number of appending threads, with point_index as the last column (effective_parameters
// keeps its own), the bytes do not depend on the append order, points without trips or snapshots and an empty spill
// work, strings round-trip byte for byte, a shard far larger than any buffer is written from its files on disk in
// several row groups, and the spill's files and directory are removed.
#include "ridesweep/store/parquet_shard_spill.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "parquet_reader.h"
#include "ridesweep/store/parquet_dataset_encoder.h"
#include "ridesweep/store/parquet_schema.h"

namespace ridesweep::store {
namespace {

using testing::ParquetReader;

constexpr std::array kDatasets = {sweep::Dataset::kShardMetrics, sweep::Dataset::kTripData,
                                  sweep::Dataset::kSnapshotCounts, sweep::Dataset::kEffectiveParameters};

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
    if (i % 2 == 1) trip.pickup_at = static_cast<int64_t>(i);
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

Status Append(sweep::ShardSpill& spill, uint64_t point, const PointRows& rows) {
  return spill.AppendPoint(point, rows.metrics, rows.trips, rows.snapshots, rows.parameters);
}

std::vector<std::string> EncodeFiles(sweep::ShardSpill& spill) {
  std::vector<std::string> files;
  for (sweep::Dataset d : kDatasets) {
    Result<std::string> bytes = spill.Encode(d);
    EXPECT_TRUE(bytes.ok()) << bytes.status().message();
    files.push_back(bytes.ok() ? *bytes : "");
  }
  return files;
}

std::vector<std::string> EncodeAll(const std::vector<uint64_t>& order) {
  Result<std::unique_ptr<ParquetShardSpill>> spill = ParquetShardSpill::Create();
  EXPECT_TRUE(spill.ok()) << spill.status().message();
  if (!spill.ok()) return {};
  for (uint64_t point : order) EXPECT_TRUE(Append(**spill, point, RowsOf(point)).ok());
  return EncodeFiles(**spill);
}

TEST(ParquetShardSpillTest, RowsComeOutInPointOrderWithPointIndexLast) {
  const std::vector<std::string> files = EncodeAll({3, 1, 2});
  ASSERT_EQ(files.size(), 4u);
  ParquetReader reader;
  const std::string trips = reader.Load(files[1]);
  EXPECT_EQ(reader.Query("SELECT trip_entity, pickup_at, point_index FROM read_parquet(" + trips + ")"),
            (std::vector<testing::Row>{{"10", std::nullopt, "1"},
                                       {"20", std::nullopt, "2"},
                                       {"21", "1", "2"},
                                       {"30", std::nullopt, "3"},
                                       {"31", "1", "3"},
                                       {"32", std::nullopt, "3"}}));
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

TEST(ParquetShardSpillTest, TheColumnsAreTheDatasetsThenPointIndex) {
  const std::vector<std::string> files = EncodeAll({1});
  ASSERT_EQ(files.size(), 4u);
  ParquetReader reader;
  for (size_t i = 0; i < kDatasets.size(); ++i) {
    std::string expected;
    for (const ParquetColumn& column : DatasetColumns(kDatasets[i])) {
      expected += std::string(column.name) + ":" + std::string(ColumnTypeName(column.type)) + ",";
    }
    if (kDatasets[i] != sweep::Dataset::kEffectiveParameters) expected += "point_index:BIGINT,";
    EXPECT_EQ(reader.Scalar("SELECT string_agg(column_name || ':' || column_type || ',', '') FROM (DESCRIBE "
                            "SELECT * FROM read_parquet(" + reader.Load(files[i]) + "))"),
              expected)
        << sweep::DatasetName(kDatasets[i]);
  }
}

TEST(ParquetShardSpillTest, BytesDoNotDependOnTheAppendOrder) {
  EXPECT_EQ(EncodeAll({1, 2, 3}), EncodeAll({3, 1, 2}));
}

// Four threads append points 0–47 concurrently, each in descending order: the same bytes as one thread appending in
// point order, and a point's rows stay together in the order they were given.
TEST(ParquetShardSpillTest, OutOfOrderAppendsFromSeveralThreadsGiveThePointOrderBytes) {
  constexpr uint64_t kPoints = 48;
  constexpr uint64_t kThreads = 4;
  std::vector<uint64_t> in_order(kPoints);
  for (uint64_t point = 0; point < kPoints; ++point) in_order[point] = point;
  const std::vector<std::string> expected = EncodeAll(in_order);

  Result<std::unique_ptr<ParquetShardSpill>> spill = ParquetShardSpill::Create();
  ASSERT_TRUE(spill.ok()) << spill.status().message();
  std::vector<PointRows> rows;
  for (uint64_t point = 0; point < kPoints; ++point) rows.push_back(RowsOf(point));
  std::atomic<int> failures = 0;
  std::vector<std::thread> threads;
  for (uint64_t t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (uint64_t left = kPoints / kThreads; left > 0; --left) {
        const uint64_t point = (left - 1) * kThreads + t;
        if (!Append(**spill, point, rows[point]).ok()) ++failures;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  ASSERT_EQ(failures.load(), 0);
  const std::vector<std::string> files = EncodeFiles(**spill);
  EXPECT_EQ(files, expected);

  ParquetReader reader;
  const std::string trips = reader.Load(files[1]);
  EXPECT_EQ(reader.Scalar("SELECT count(*) FROM read_parquet(" + trips + ")"), "1128");  // 0 + 1 + … + 47
  EXPECT_EQ(reader.Scalar("SELECT count(*) FROM (SELECT point_index, trip_entity, lag(point_index) OVER w AS pp, "
                          "lag(trip_entity) OVER w AS pt FROM read_parquet(" + trips + ", file_row_number = true) "
                          "WINDOW w AS (ORDER BY file_row_number)) WHERE pp > point_index OR "
                          "(pp = point_index AND trip_entity <> pt + 1) OR "
                          "trip_entity - 10 * point_index NOT BETWEEN 0 AND point_index - 1"),
            "0");
}

TEST(ParquetShardSpillTest, PointsWithoutTripsOrSnapshotsKeepTheirMetricsAndParameters) {
  Result<std::unique_ptr<ParquetShardSpill>> spill = ParquetShardSpill::Create();
  ASSERT_TRUE(spill.ok()) << spill.status().message();
  for (uint64_t point : {3u, 0u, 2u, 1u}) {
    PointRows rows = RowsOf(point);
    if (point == 1 || point == 2) rows.snapshots.clear();
    ASSERT_TRUE(Append(**spill, point, rows).ok());
  }
  const std::vector<std::string> files = EncodeFiles(**spill);
  ParquetReader reader;
  EXPECT_EQ(reader.Scalar("SELECT string_agg(point_index::VARCHAR, ',') FROM read_parquet(" +
                          reader.Load(files[0]) + ")"),
            "0,1,2,3");
  EXPECT_EQ(reader.Scalar("SELECT string_agg(point_index || ':' || trip_entity, ',') FROM read_parquet(" +
                          reader.Load(files[1]) + ")"),
            "1:10,2:20,2:21,3:30,3:31,3:32");
  EXPECT_EQ(reader.Scalar("SELECT string_agg(point_index || ':' || timestamp_ms, ',') FROM read_parquet(" +
                          reader.Load(files[2]) + ")"),
            "0:0,0:1000,3:0,3:1000");
  EXPECT_EQ(reader.Scalar("SELECT string_agg(point_index::VARCHAR, ',') FROM read_parquet(" +
                          reader.Load(files[3]) + ")"),
            "0,1,2,3");
}

TEST(ParquetShardSpillTest, AnEmptySpillGivesSchemaOnlyFiles) {
  const std::vector<std::string> files = EncodeAll({});
  ASSERT_EQ(files.size(), 4u);
  ParquetReader reader;
  for (size_t i = 0; i < files.size(); ++i) {
    const std::string path = reader.Load(files[i]);
    EXPECT_EQ(reader.Scalar("SELECT count(*) FROM read_parquet(" + path + ")"), "0");
    EXPECT_EQ(reader.Scalar("SELECT list(name)[-1] FROM parquet_schema(" + path + ")"),
              kDatasets[i] == sweep::Dataset::kEffectiveParameters ? "replicate" : "point_index");
  }
}

std::string Hex(std::string_view bytes) {
  std::string hex;
  for (unsigned char c : bytes) {
    char digits[3];
    std::snprintf(digits, sizeof(digits), "%02X", c);
    hex += digits;
  }
  return hex;
}

// effective_parameters' strings are stored length-prefixed: NUL, quotes, backslashes, newlines, non-ASCII, empty
// and long strings come back byte for byte, and a one-point file is the per-point encoder's file of that row.
TEST(ParquetShardSpillTest, ParameterStringsRoundTripByteForByte) {
  using namespace std::string_literals;
  const std::string kJson[] = {
      "{\"name\":\"a\\\"b\",\"nul\":\"x\0y\",\"line\":\"1\n2\"}"s,
      "{\"city\":\"Zürich – São Paulo 東京 🚕\"}"s,
      ""s,
      std::string(100'000, 'q') + "'\"\\"s,
  };
  Result<std::unique_ptr<ParquetShardSpill>> spill = ParquetShardSpill::Create();
  ASSERT_TRUE(spill.ok()) << spill.status().message();
  for (uint64_t point = std::size(kJson); point-- > 0;) {
    PointRows rows = RowsOf(point);
    rows.parameters.effective_parameters_json = kJson[point];
    rows.parameters.run_id = point == 2 ? "" : "run-\0-"s + std::to_string(point);
    ASSERT_TRUE(Append(**spill, point, rows).ok());
  }
  Result<std::string> bytes = (*spill)->Encode(sweep::Dataset::kEffectiveParameters);
  ASSERT_TRUE(bytes.ok()) << bytes.status().message();
  ParquetReader reader;
  const std::vector<testing::Row> got =
      reader.Query("SELECT point_index, hex(run_id), hex(effective_parameters_json), status, record_schema FROM "
                   "read_parquet(" + reader.Load(*bytes) + ")");
  ASSERT_EQ(got.size(), std::size(kJson));
  for (size_t point = 0; point < std::size(kJson); ++point) {
    const std::string run_id = point == 2 ? "" : "run-\0-"s + std::to_string(point);
    EXPECT_EQ(got[point], (testing::Row{std::to_string(point), Hex(run_id), Hex(kJson[point]), "success", "v1"}))
        << "point " << point;
  }

  Result<std::unique_ptr<ParquetShardSpill>> one = ParquetShardSpill::Create();
  ASSERT_TRUE(one.ok());
  PointRows rows = RowsOf(1);
  rows.parameters.effective_parameters_json = kJson[1];
  ASSERT_TRUE(Append(**one, 1, rows).ok());
  Result<std::string> shard_file = (*one)->Encode(sweep::Dataset::kEffectiveParameters);
  Result<std::unique_ptr<ParquetDatasetEncoder>> encoder = ParquetDatasetEncoder::Create();
  ASSERT_TRUE(shard_file.ok() && encoder.ok());
  Result<std::string> point_file = (*encoder)->EncodeEffectiveParameters(rows.parameters);
  ASSERT_TRUE(point_file.ok());
  EXPECT_EQ(*shard_file, *point_file);
}

uint64_t FileBytes(const std::filesystem::path& directory) {
  uint64_t bytes = 0;
  for (const auto& entry : std::filesystem::directory_iterator(directory)) {
    if (entry.is_regular_file()) bytes += entry.file_size();
  }
  return bytes;
}

// 800,000 snapshot rows (96 MB as structs) from points appended out of order: they sit in the spill's files, not in
// the heap, and come out in point order in several row groups of DuckDB's default size.
TEST(ParquetShardSpillTest, ALargeShardIsWrittenFromItsFilesInSeveralRowGroups) {
  Result<std::unique_ptr<ParquetShardSpill>> spill = ParquetShardSpill::Create();
  ASSERT_TRUE(spill.ok()) << spill.status().message();
  constexpr uint64_t kPoints = 16;
  constexpr size_t kRowsPerPoint = 50'000;
  std::vector<sim::SnapshotRow> snapshots(kRowsPerPoint);
  for (size_t i = 0; i < snapshots.size(); ++i) {
    snapshots[i].timestamp_ms = static_cast<int64_t>(i);
    snapshots[i].riders_waiting = static_cast<int64_t>(i * 7919 % 1000);
  }
  const PointRows rows = RowsOf(1);
  for (uint64_t step = 0; step < kPoints; ++step) {
    const uint64_t point = step * 5 % kPoints;  // 0, 5, 10, 15, 4, 9, …
    for (sim::SnapshotRow& snapshot : snapshots) snapshot.drivers_idle = static_cast<int64_t>(point);
    ASSERT_TRUE((*spill)->AppendPoint(point, rows.metrics, {}, snapshots, rows.parameters).ok());
  }
  EXPECT_GE(FileBytes((*spill)->directory()), kPoints * kRowsPerPoint * sizeof(sim::SnapshotRow));
  Result<std::string> bytes = (*spill)->Encode(sweep::Dataset::kSnapshotCounts);
  ASSERT_TRUE(bytes.ok()) << bytes.status().message();
  ParquetReader reader;
  const std::string file = reader.Load(*bytes);
  EXPECT_EQ(reader.Scalar("SELECT count(*) FROM read_parquet(" + file + ")"), "800000");
  EXPECT_EQ(reader.Scalar("SELECT count(DISTINCT row_group_id) FROM parquet_metadata(" + file + ")"), "7");
  EXPECT_EQ(reader.Scalar("SELECT count(*) FROM read_parquet(" + file + ", file_row_number = true) WHERE "
                          "file_row_number <> point_index * 50000 + timestamp_ms OR drivers_idle <> point_index OR "
                          "riders_waiting <> timestamp_ms * 7919 % 1000"),
            "0");
}

TEST(ParquetShardSpillTest, TheDirectoryIsRemovedWithTheSpill) {
  std::filesystem::path directory;
  {
    Result<std::unique_ptr<ParquetShardSpill>> spill = ParquetShardSpill::Create();
    ASSERT_TRUE(spill.ok());
    directory = (*spill)->directory();
    EXPECT_TRUE(std::filesystem::is_directory(directory));
    ASSERT_TRUE(Append(**spill, 2, RowsOf(2)).ok());
    EXPECT_GT(FileBytes(directory), 0u);
    ASSERT_TRUE((*spill)->Encode(sweep::Dataset::kTripData).ok());
  }
  EXPECT_FALSE(std::filesystem::exists(directory));
}

// Something else (a temporary-directory cleaner) deleting the spill's files under it: the spill keeps its open files,
// so the shard is still written whole, and the directory still goes away with the spill.
TEST(ParquetShardSpillTest, TheShardSurvivesItsFilesBeingUnlinked) {
  std::filesystem::path directory;
  {
    Result<std::unique_ptr<ParquetShardSpill>> spill = ParquetShardSpill::Create();
    ASSERT_TRUE(spill.ok());
    directory = (*spill)->directory();
    ASSERT_TRUE(Append(**spill, 3, RowsOf(3)).ok());
    size_t removed = 0;
    for (const auto& entry : std::filesystem::directory_iterator(directory)) {
      std::filesystem::remove(entry.path());
      ++removed;
    }
    EXPECT_EQ(removed, kDatasets.size());
    ASSERT_TRUE(Append(**spill, 1, RowsOf(1)).ok());
    const std::vector<std::string> files = EncodeFiles(**spill);
    EXPECT_EQ(files, EncodeAll({1, 3}));
  }
  EXPECT_FALSE(std::filesystem::exists(directory));
}

TEST(ParquetShardSpillTest, APooledSpillStartsEmptyAndWritesTheSameBytes) {
  const sweep::ShardSpillFactory factory = ParquetShardSpillFactory();
  std::vector<std::string> first;
  for (int shard = 0; shard < 3; ++shard) {  // the second and third spills are the first one, reused
    Result<std::unique_ptr<sweep::ShardSpill>> spill = factory();
    ASSERT_TRUE(spill.ok()) << spill.status().message();
    for (uint64_t point : {2u, 1u}) ASSERT_TRUE(Append(**spill, point, RowsOf(point)).ok());
    std::vector<std::string> files = EncodeFiles(**spill);
    if (shard == 0) {
      first = files;
    } else {
      EXPECT_EQ(files, first) << "shard " << shard;
    }
  }
  ParquetReader reader;
  EXPECT_EQ(reader.Scalar("SELECT count(*) FROM read_parquet(" + reader.Load(first[1]) + ")"), "3");
}

TEST(ParquetShardSpillTest, AnUnusableParentDirectoryIsAnInternalError) {
  Result<std::unique_ptr<ParquetShardSpill>> spill =
      ParquetShardSpill::Create({.parent_dir = "/nonexistent/ridesweep-spill-parent"});
  ASSERT_FALSE(spill.ok());
  EXPECT_EQ(spill.status().code(), StatusCode::kInternal);
}

}  // namespace
}  // namespace ridesweep::store
