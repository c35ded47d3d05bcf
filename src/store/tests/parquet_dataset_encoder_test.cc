// ParquetDatasetEncoder output read back with DuckDB: schema (names, DuckDB and Parquet types, order), values
// including NULLs, row counts, exactly one row group, ZSTD, determinism, and no files in the temporary directory
// (spec/sweep.md §10.2–§10.8). Expected schemas are spelled out here from the spec, independently of the encoder's
// own tables.
#include "ridesweep/store/parquet_dataset_encoder.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <limits>
#include <set>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "ridesweep/store/parquet_schema.h"
#include "tests/parquet_reader.h"
#include "tests/temp_dir.h"

namespace ridesweep::store {
namespace {

using testing::ParquetReader;
using testing::Row;
using testing::TempDir;

struct ExpectedColumn {
  std::string name;
  std::string duckdb_type;
};

std::vector<ExpectedColumn> Bigints(std::initializer_list<const char*> names) {
  std::vector<ExpectedColumn> columns;
  for (const char* name : names) columns.push_back({name, "BIGINT"});
  return columns;
}

const std::vector<ExpectedColumn> kShardMetricsSchema = [] {
  std::vector<ExpectedColumn> columns =
      Bigints({"total_riders", "completed_riders", "abandoned_quote_riders", "cancelled_riders"});
  for (const char* name : {"conversion_rate", "platform_revenue", "driver_payouts", "total_fares_collected",
                           "avg_time_to_match_ms", "median_time_to_match_ms", "p90_time_to_match_ms",
                           "avg_time_to_pickup_ms", "median_time_to_pickup_ms", "p90_time_to_pickup_ms"}) {
    columns.push_back({name, "DOUBLE"});
  }
  for (auto& column : Bigints({"completed_trips", "riders_abandoned_price", "riders_abandoned_eta",
                               "riders_abandoned_stochastic", "total_drivers", "riders_spawned", "riders_unresolved",
                               "trips_cancelled", "events_processed", "final_sim_time_ms"})) {
    columns.push_back(column);
  }
  columns.push_back({"truncated", "BOOLEAN"});
  // Model v2 columns, appended.
  columns.push_back({"riders_abandoned_no_driver", "BIGINT"});
  for (const char* name : {"match_rate", "share_matched_within_60s", "share_matched_within_180s"}) {
    columns.push_back({name, "DOUBLE"});
  }
  for (auto& column : Bigints({"config_index", "replicate"})) columns.push_back(column);  // after every metric
  return columns;
}();

const std::vector<ExpectedColumn> kTripDataSchema = {
    {"trip_entity", "BIGINT"},  {"rider_entity", "BIGINT"},
    {"driver_entity", "BIGINT"}, {"state", "TINYINT"},
    {"pickup_cell", "BIGINT"},  {"dropoff_cell", "BIGINT"},
    {"pickup_distance_km_at_accept", "DOUBLE"},
    {"requested_at", "BIGINT"}, {"matched_at", "BIGINT"},
    {"pickup_at", "BIGINT"},    {"dropoff_at", "BIGINT"},
    {"cancelled_at", "BIGINT"},
};

const std::vector<ExpectedColumn> kSnapshotCountsSchema = Bigints(
    {"timestamp_ms", "riders_browsing", "riders_waiting", "riders_in_transit", "riders_completed", "riders_cancelled",
     "drivers_idle", "drivers_evaluating", "drivers_en_route", "drivers_on_trip", "drivers_off_duty", "trips_en_route",
     "trips_on_trip", "trips_completed", "trips_cancelled"});

const std::vector<ExpectedColumn> kRunContextSchema = {
    {"run_id", "VARCHAR"},          {"run_date", "VARCHAR"},
    {"status", "VARCHAR"},          {"request_source", "VARCHAR"},
    {"record_schema", "VARCHAR"},   {"request_fingerprint", "VARCHAR"},
    {"config_fingerprint", "VARCHAR"}, {"total_points", "BIGINT"},
    {"shard_count", "BIGINT"},      {"shard_strategy", "VARCHAR"},
    {"max_shards", "BIGINT"},       {"max_shards_ceiling", "BIGINT"},
    {"build_version", "VARCHAR"},   {"build_git_revision", "VARCHAR"},
};

const std::vector<ExpectedColumn> kShardOutcomesSchema = {
    {"run_id", "VARCHAR"},         {"shard_id", "BIGINT"},        {"start_index", "BIGINT"},
    {"end_index_exclusive", "BIGINT"}, {"status", "VARCHAR"},     {"event_time", "VARCHAR"},
    {"record_schema", "VARCHAR"},  {"result_key", "VARCHAR"},     {"points_processed", "BIGINT"},
    {"format", "VARCHAR"},         {"error_code", "VARCHAR"},     {"error_message", "VARCHAR"},
    {"attempt", "BIGINT"},         {"completed_time", "VARCHAR"},
};

const std::vector<ExpectedColumn> kEffectiveParametersSchema = {
    {"run_id", "VARCHAR"}, {"shard_id", "BIGINT"},        {"point_index", "BIGINT"},
    {"status", "VARCHAR"}, {"record_schema", "VARCHAR"}, {"parameter_fingerprint", "VARCHAR"},
    {"effective_parameters_json", "VARCHAR"}, {"config_index", "BIGINT"}, {"replicate", "BIGINT"},
};

// The Parquet physical type and converted type §10.2 promises for each DuckDB type.
std::pair<std::string, std::string> ParquetTypesOf(const std::string& duckdb_type) {
  if (duckdb_type == "BIGINT") return {"INT64", "INT_64"};
  if (duckdb_type == "TINYINT") return {"INT32", "INT_8"};
  if (duckdb_type == "DOUBLE") return {"DOUBLE", "NULL"};
  if (duckdb_type == "VARCHAR") return {"BYTE_ARRAY", "UTF8"};
  if (duckdb_type == "BOOLEAN") return {"BOOLEAN", "NULL"};
  return {"?", "?"};
}

std::unique_ptr<ParquetDatasetEncoder> MakeEncoder() {
  auto encoder = ParquetDatasetEncoder::Create();
  EXPECT_TRUE(encoder.ok()) << encoder.status().ToString();
  return encoder.ok() ? std::move(encoder).value() : nullptr;
}

std::string Encoded(const Result<std::string>& bytes) {
  EXPECT_TRUE(bytes.ok()) << bytes.status().ToString();
  return bytes.ok() ? *bytes : std::string();
}

sim::PointMetrics SampleMetrics() {
  sim::PointMetrics m;
  m.total_riders = 1;
  m.total_drivers = 19;
  m.completed_riders = 2;
  m.abandoned_quote_riders = 3;
  m.cancelled_riders = 4;
  m.conversion_rate = 0.5;
  m.platform_revenue = 6.25;
  m.driver_payouts = 7.125;
  m.total_fares_collected = 8.0625;
  m.avg_time_to_match_ms = 9.5;
  m.median_time_to_match_ms = 10.5;
  m.p90_time_to_match_ms = 11.5;
  m.avg_time_to_pickup_ms = 12.5;
  m.median_time_to_pickup_ms = 13.5;
  m.p90_time_to_pickup_ms = 14.5;
  m.completed_trips = 15;
  m.riders_abandoned_price = 16;
  m.riders_abandoned_eta = 17;
  m.riders_abandoned_stochastic = 18;
  m.riders_spawned = 20;
  m.riders_unresolved = 21;
  m.trips_cancelled = 22;
  m.events_processed = 23;
  m.final_sim_time_ms = 24;
  m.truncated = true;
  m.riders_abandoned_no_driver = 26;
  m.match_rate = 0.75;
  m.share_matched_within_60s = 0.25;
  m.share_matched_within_180s = 0.5;
  return m;
}

std::vector<sim::TripRow> SampleTrips(size_t count) {
  std::vector<sim::TripRow> trips(count);
  for (size_t i = 0; i < count; ++i) {
    const auto n = static_cast<int64_t>(i);
    sim::TripRow& t = trips[i];
    t.trip_entity = (int64_t{1} << 32) | n;
    t.rider_entity = 1000 + n;
    t.driver_entity = 2000 + n % 97;
    t.state = static_cast<int8_t>(i % 4);
    t.pickup_cell = 600000000000000000 + n;
    t.dropoff_cell = 600000000000001000 + n;
    t.pickup_distance_km_at_accept = 0.25 * static_cast<double>(i % 13);
    t.requested_at = 1000 * n;
    t.matched_at = 1000 * n + 500;
    if (i % 4 != 3) t.pickup_at = 1000 * n + 900;        // Cancelled trips were never picked up…
    if (i % 4 == 2) t.dropoff_at = 1000 * n + 5000;      // …only completed ones were dropped off…
    if (i % 4 == 3) t.cancelled_at = 1000 * n + 700;     // …and only cancelled ones carry a cancel time.
  }
  return trips;
}

std::vector<sim::SnapshotRow> SampleSnapshots(size_t count) {
  std::vector<sim::SnapshotRow> rows(count);
  for (size_t i = 0; i < count; ++i) {
    const auto n = static_cast<int64_t>(i);
    rows[i] = sim::SnapshotRow{n * 1000, n % 50, n % 7, n % 11, n / 3, n / 40, 100 - n % 60, n % 2, n % 9,
                               n % 30, n % 5, n % 9, n % 30, n / 3, n / 40};
  }
  return rows;
}

sweep::ShardOutcomeRow SuccessOutcome() {
  sweep::ShardOutcomeRow row;
  row.run_id = "demo-run-001";
  row.shard_id = 3;
  row.start_index = 6;
  row.end_index_exclusive = 8;
  row.status = "success";
  row.event_time = "2026-02-14T10:11:12.123456+00:00";
  row.result_key = "serverless-sweeps/outcomes/dataset=shard_metrics/run_date=2026-02-14/run_id=demo-run-001/"
                   "status=success/shard_id=3/point_index=6/part-0.parquet";
  row.points_processed = 2;
  row.format = "parquet";
  row.attempt = 1;
  row.completed_time = "2026-02-14T10:11:13.000001+00:00";
  return row;
}

sweep::ShardOutcomeRow FailureOutcome() {
  sweep::ShardOutcomeRow row;
  row.run_id = "demo-run-001";
  row.shard_id = 4;
  row.start_index = 8;
  row.end_index_exclusive = 10;
  row.status = "failure";
  row.event_time = "2026-02-14T10:11:12.123456+00:00";
  row.points_processed = 0;
  row.error_code = "storage_error";
  row.error_message = "Failed to persist trip data artifact: 'quoted', ünïcödé, \"double\"";
  row.attempt = 3;
  row.completed_time = "2026-02-14T10:11:14.5+00:00";
  return row;
}

sweep::RunContextRow SampleRunContext() {
  sweep::RunContextRow row;
  row.run_id = "demo-run-001";
  row.run_date = "2026-02-14";
  row.request_source = "local_cli";
  row.request_fingerprint = std::string(64, 'a');
  row.config_fingerprint = std::string(64, 'b');
  row.total_points = 8;
  row.shard_count = 4;
  row.shard_strategy = "explicit_shard_count";
  row.max_shards = 1000;
  row.max_shards_ceiling = 200000;
  row.build_version = "0.4.0";
  row.build_git_revision = "0123456789ab";
  return row;
}

sweep::EffectiveParametersRow SampleEffectiveParameters() {
  sweep::EffectiveParametersRow row;
  row.run_id = "demo-run-001";
  row.shard_id = 3;
  row.point_index = 7;
  row.parameter_fingerprint = std::string(64, 'c');
  row.effective_parameters_json =
      R"({"selected_dimensions":{"num_drivers":50},"resolved_scenario_parameters":{"num_riders":500,"seed":42}})";
  row.config_index = 2;
  row.replicate = 1;
  return row;
}

class ParquetDatasetEncoderTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_NE(encoder_ = MakeEncoder(), nullptr); }

  // Asserts names, DuckDB types and Parquet physical/converted types, in order.
  void ExpectSchema(const std::string& bytes, const std::vector<ExpectedColumn>& expected) {
    const std::string file = reader_.Load(bytes);
    const std::vector<Row> described = reader_.Query("DESCRIBE SELECT * FROM read_parquet(" + file + ")");
    ASSERT_EQ(described.size(), expected.size());
    const std::vector<Row> physical = reader_.Query(
        "SELECT name, type, coalesce(converted_type, 'NULL') FROM parquet_schema(" + file + ") WHERE type IS NOT NULL");
    ASSERT_EQ(physical.size(), expected.size());
    for (size_t i = 0; i < expected.size(); ++i) {
      EXPECT_EQ(described[i][0], expected[i].name) << "column " << i;
      EXPECT_EQ(described[i][1], expected[i].duckdb_type) << expected[i].name;
      const auto [type, converted] = ParquetTypesOf(expected[i].duckdb_type);
      EXPECT_EQ(physical[i][0], expected[i].name);
      EXPECT_EQ(physical[i][1], type) << expected[i].name;
      EXPECT_EQ(physical[i][2], converted) << expected[i].name;
    }
  }

  // Row groups, their row counts and the set of compression codecs used.
  void ExpectOneZstdRowGroup(const std::string& bytes, size_t rows) {
    const std::string file = reader_.Load(bytes);
    EXPECT_EQ(reader_.Scalar("SELECT count(DISTINCT row_group_id) FROM parquet_metadata(" + file + ")"), "1");
    EXPECT_EQ(reader_.Scalar("SELECT max(row_group_num_rows) FROM parquet_metadata(" + file + ")"),
              std::to_string(rows));
    EXPECT_EQ(reader_.Scalar("SELECT string_agg(DISTINCT compression) FROM parquet_metadata(" + file + ")"), "ZSTD");
    EXPECT_EQ(reader_.Scalar("SELECT count(*) FROM read_parquet(" + file + ")"), std::to_string(rows));
  }

  std::unique_ptr<ParquetDatasetEncoder> encoder_;
  ParquetReader reader_;
};

TEST_F(ParquetDatasetEncoderTest, ShardMetricsSchemaValuesAndLayout) {
  const std::string bytes = Encoded(encoder_->EncodeShardMetrics(sweep::ShardMetricsRow(SampleMetrics(), 28, 29)));
  ExpectSchema(bytes, kShardMetricsSchema);
  ExpectOneZstdRowGroup(bytes, 1);
  const std::vector<Row> rows = reader_.Query("SELECT * FROM read_parquet(" + reader_.Load(bytes) + ")");
  ASSERT_EQ(rows.size(), 1u);
  // Column order of §10.3: total_drivers (19) comes after the 18 original columns, not second.
  const Row expected = {"1",    "2",    "3",    "4",    "0.5",  "6.25", "7.125", "8.0625", "9.5",
                        "10.5", "11.5", "12.5", "13.5", "14.5", "15",   "16",    "17",     "18",
                        "19",   "20",   "21",   "22",   "23",   "24",   "true", "26",    "0.75",   "0.25",
                        "0.5",  "28",   "29"};
  EXPECT_EQ(rows[0], expected);
}

TEST_F(ParquetDatasetEncoderTest, MissingTimeMetricsAreNull) {
  // A point that completed no trip: the time metrics and rates are NULL, never 0.
  sim::PointMetrics m = SampleMetrics();
  m.avg_time_to_match_ms.reset();
  m.median_time_to_match_ms.reset();
  m.p90_time_to_match_ms.reset();
  m.avg_time_to_pickup_ms.reset();
  m.median_time_to_pickup_ms.reset();
  m.p90_time_to_pickup_ms.reset();
  m.match_rate.reset();
  m.share_matched_within_60s.reset();
  m.share_matched_within_180s.reset();
  const std::string bytes = Encoded(encoder_->EncodeShardMetrics(m));
  ExpectSchema(bytes, kShardMetricsSchema);
  const std::vector<Row> rows = reader_.Query("SELECT * FROM read_parquet(" + reader_.Load(bytes) + ")");
  ASSERT_EQ(rows.size(), 1u);
  for (size_t column : {8u, 9u, 10u, 11u, 12u, 13u, 26u, 27u, 28u}) {
    EXPECT_FALSE(rows[0][column].has_value()) << kShardMetricsSchema[column].name;
  }
  EXPECT_EQ(rows[0][25], testing::Cell("26"));
}

TEST_F(ParquetDatasetEncoderTest, Issue0013BytesStayTheSameAcrossTheDatabaseRenewals) {
  // The encoder replaces its DuckDB database every 4,096 encodes (the per-COPY memory DuckDB keeps is what made
  // long runs grow); 10,000 encodes cross two renewals, and every output equals the first encoder's.
  const std::vector<sim::TripRow> trips = SampleTrips(20);
  const std::string metrics = Encoded(encoder_->EncodeShardMetrics(SampleMetrics()));
  const std::string trip_bytes = Encoded(encoder_->EncodeTripData(trips));
  size_t different = 0;
  for (int i = 0; i < 5'000; ++i) {
    different += Encoded(encoder_->EncodeShardMetrics(SampleMetrics())) != metrics ? 1 : 0;
    different += Encoded(encoder_->EncodeTripData(trips)) != trip_bytes ? 1 : 0;
  }
  EXPECT_EQ(different, 0u);
}

TEST_F(ParquetDatasetEncoderTest, TripDataValuesInOrderWithNulls) {
  const std::vector<sim::TripRow> trips = SampleTrips(500);
  const std::string bytes = Encoded(encoder_->EncodeTripData(trips));
  ExpectSchema(bytes, kTripDataSchema);
  ExpectOneZstdRowGroup(bytes, trips.size());
  const std::vector<Row> rows = reader_.Query("SELECT * FROM read_parquet(" + reader_.Load(bytes) + ")");
  ASSERT_EQ(rows.size(), trips.size());
  auto text = [](const std::optional<int64_t>& v) -> testing::Cell {
    return v ? testing::Cell(std::to_string(*v)) : std::nullopt;
  };
  for (size_t i = 0; i < trips.size(); ++i) {
    const sim::TripRow& t = trips[i];
    const Row expected = {std::to_string(t.trip_entity),  std::to_string(t.rider_entity),
                          std::to_string(t.driver_entity), std::to_string(t.state),
                          std::to_string(t.pickup_cell),  std::to_string(t.dropoff_cell),
                          rows[i][6],  // compared numerically below
                          std::to_string(t.requested_at), std::to_string(t.matched_at),
                          text(t.pickup_at),              text(t.dropoff_at),
                          text(t.cancelled_at)};
    ASSERT_EQ(rows[i], expected) << "row " << i;
    ASSERT_TRUE(rows[i][6].has_value());
    EXPECT_EQ(std::stod(*rows[i][6]), t.pickup_distance_km_at_accept) << "row " << i;
  }
  // NULL counts match the optional fields exactly, and non-nullable columns hold none.
  const std::string file = reader_.Load(bytes);
  EXPECT_EQ(reader_.Scalar("SELECT count(*) FROM read_parquet(" + file + ") WHERE pickup_at IS NULL"), "125");
  EXPECT_EQ(reader_.Scalar("SELECT count(*) FROM read_parquet(" + file + ") WHERE dropoff_at IS NULL"), "375");
  EXPECT_EQ(reader_.Scalar("SELECT count(*) FROM read_parquet(" + file + ") WHERE cancelled_at IS NULL"), "375");
  EXPECT_EQ(reader_.Scalar("SELECT count(*) FROM read_parquet(" + file +
                           ") WHERE trip_entity IS NULL OR state IS NULL OR matched_at IS NULL"),
            "0");
}

TEST_F(ParquetDatasetEncoderTest, SnapshotCountsTenThousandRowsInOneRowGroup) {
  const std::vector<sim::SnapshotRow> snapshots = SampleSnapshots(10'800);
  const std::string bytes = Encoded(encoder_->EncodeSnapshotCounts(snapshots));
  ExpectSchema(bytes, kSnapshotCountsSchema);
  ExpectOneZstdRowGroup(bytes, snapshots.size());
  const std::vector<Row> rows = reader_.Query("SELECT * FROM read_parquet(" + reader_.Load(bytes) + ")");
  ASSERT_EQ(rows.size(), snapshots.size());
  for (size_t i = 0; i < snapshots.size(); i += 997) {
    const sim::SnapshotRow& s = snapshots[i];
    const int64_t values[] = {s.timestamp_ms,     s.riders_browsing,  s.riders_waiting,    s.riders_in_transit,
                              s.riders_completed, s.riders_cancelled, s.drivers_idle,      s.drivers_evaluating,
                              s.drivers_en_route, s.drivers_on_trip,  s.drivers_off_duty,  s.trips_en_route,
                              s.trips_on_trip,    s.trips_completed,  s.trips_cancelled};
    Row expected;
    for (int64_t v : values) expected.emplace_back(std::to_string(v));
    EXPECT_EQ(rows[i], expected) << "row " << i;
  }
}

TEST_F(ParquetDatasetEncoderTest, MoreRowsThanDuckDbsDefaultRowGroupStillGiveOneRowGroup) {
  const std::vector<sim::SnapshotRow> snapshots = SampleSnapshots(130'000);  // Default row group: 122,880.
  const std::string bytes = Encoded(encoder_->EncodeSnapshotCounts(snapshots));
  ExpectOneZstdRowGroup(bytes, snapshots.size());
  // And the encoder keeps working for small inputs afterwards.
  ExpectOneZstdRowGroup(Encoded(encoder_->EncodeSnapshotCounts(SampleSnapshots(3))), 3);
}

TEST_F(ParquetDatasetEncoderTest, ShardOutcomeSuccessAndFailureRows) {
  const std::string success = Encoded(encoder_->EncodeShardOutcome(SuccessOutcome()));
  ExpectSchema(success, kShardOutcomesSchema);
  ExpectOneZstdRowGroup(success, 1);
  const sweep::ShardOutcomeRow s = SuccessOutcome();
  EXPECT_EQ(reader_.Query("SELECT * FROM read_parquet(" + reader_.Load(success) + ")"),
            (std::vector<Row>{{s.run_id, "3", "6", "8", "success", s.event_time, "v1", *s.result_key, "2", "parquet",
                               std::nullopt, std::nullopt, "1", s.completed_time}}));

  const std::string failure = Encoded(encoder_->EncodeShardOutcome(FailureOutcome()));
  ExpectSchema(failure, kShardOutcomesSchema);
  const sweep::ShardOutcomeRow f = FailureOutcome();
  EXPECT_EQ(reader_.Query("SELECT * FROM read_parquet(" + reader_.Load(failure) + ")"),
            (std::vector<Row>{{f.run_id, "4", "8", "10", "failure", f.event_time, "v1", std::nullopt, "0",
                               std::nullopt, "storage_error", *f.error_message, "3", f.completed_time}}));
}

TEST_F(ParquetDatasetEncoderTest, RunContextRow) {
  const std::string bytes = Encoded(encoder_->EncodeRunContext(SampleRunContext()));
  ExpectSchema(bytes, kRunContextSchema);
  ExpectOneZstdRowGroup(bytes, 1);
  const sweep::RunContextRow r = SampleRunContext();
  EXPECT_EQ(reader_.Query("SELECT * FROM read_parquet(" + reader_.Load(bytes) + ")"),
            (std::vector<Row>{{"demo-run-001", "2026-02-14", "accepted", "local_cli", "v1", r.request_fingerprint,
                               r.config_fingerprint, "8", "4", "explicit_shard_count", "1000", "200000", "0.4.0",
                               "0123456789ab"}}));
}

TEST_F(ParquetDatasetEncoderTest, EffectiveParametersRow) {
  const std::string bytes = Encoded(encoder_->EncodeEffectiveParameters(SampleEffectiveParameters()));
  ExpectSchema(bytes, kEffectiveParametersSchema);
  ExpectOneZstdRowGroup(bytes, 1);
  const sweep::EffectiveParametersRow e = SampleEffectiveParameters();
  EXPECT_EQ(reader_.Query("SELECT * FROM read_parquet(" + reader_.Load(bytes) + ")"),
            (std::vector<Row>{{"demo-run-001", "3", "7", "success", "v1", e.parameter_fingerprint,
                               e.effective_parameters_json, "2", "1"}}));
}

TEST_F(ParquetDatasetEncoderTest, ZeroRowsGiveASchemaOnlyFile) {
  const std::string trips = Encoded(encoder_->EncodeTripData({}));
  const std::string snapshots = Encoded(encoder_->EncodeSnapshotCounts({}));
  for (const std::string* bytes : {&trips, &snapshots}) {
    ASSERT_GE(bytes->size(), 8u);
    EXPECT_EQ(bytes->substr(0, 4), "PAR1");
    EXPECT_EQ(bytes->substr(bytes->size() - 4), "PAR1");
    const std::string file = reader_.Load(*bytes);
    EXPECT_EQ(reader_.Scalar("SELECT count(*) FROM read_parquet(" + file + ")"), "0");
    EXPECT_EQ(reader_.Scalar("SELECT num_row_groups FROM parquet_file_metadata(" + file + ")"), "0");
  }
  ExpectSchema(trips, kTripDataSchema);
  ExpectSchema(snapshots, kSnapshotCountsSchema);
}

TEST_F(ParquetDatasetEncoderTest, ExtremeValuesRoundTrip) {
  std::vector<sim::TripRow> trips(1);
  trips[0].trip_entity = std::numeric_limits<int64_t>::max();
  trips[0].rider_entity = std::numeric_limits<int64_t>::min();
  trips[0].state = std::numeric_limits<int8_t>::min();
  trips[0].pickup_distance_km_at_accept = 1e308;
  trips[0].pickup_at = -1;
  const std::string bytes = Encoded(encoder_->EncodeTripData(trips));
  const std::vector<Row> rows = reader_.Query("SELECT trip_entity, rider_entity, state, pickup_at, "
                                              "pickup_distance_km_at_accept = 1e308 FROM read_parquet(" +
                                              reader_.Load(bytes) + ")");
  EXPECT_EQ(rows, (std::vector<Row>{{"9223372036854775807", "-9223372036854775808", "-128", "-1", "true"}}));
}

TEST_F(ParquetDatasetEncoderTest, SameInputsGiveIdenticalBytesAcrossCallsAndEncoders) {
  const std::vector<sim::TripRow> trips = SampleTrips(500);
  const std::vector<sim::SnapshotRow> snapshots = SampleSnapshots(10'800);
  auto encode_all = [&](ParquetDatasetEncoder& encoder) {
    return std::vector<std::string>{
        Encoded(encoder.EncodeShardMetrics(SampleMetrics())), Encoded(encoder.EncodeTripData(trips)),
        Encoded(encoder.EncodeSnapshotCounts(snapshots)),
        Encoded(encoder.EncodeEffectiveParameters(SampleEffectiveParameters())),
        Encoded(encoder.EncodeShardOutcome(FailureOutcome())), Encoded(encoder.EncodeRunContext(SampleRunContext()))};
  };
  const std::vector<std::string> first = encode_all(*encoder_);
  EXPECT_EQ(encode_all(*encoder_), first);  // Reused statements and memory file.
  auto fresh = MakeEncoder();
  ASSERT_NE(fresh, nullptr);
  EXPECT_EQ(encode_all(*fresh), first);
  // And a different row gives different bytes (the comparison above can fail).
  sim::PointMetrics changed = SampleMetrics();
  changed.truncated = false;
  EXPECT_NE(Encoded(encoder_->EncodeShardMetrics(changed)), first[0]);
}

TEST_F(ParquetDatasetEncoderTest, EncodersOnSeveralThreadsProduceTheSameBytes) {
  const std::vector<sim::TripRow> trips = SampleTrips(300);
  const std::string expected = Encoded(encoder_->EncodeTripData(trips));
  std::vector<std::string> results(4);
  std::vector<std::thread> threads;
  for (size_t t = 0; t < results.size(); ++t) {
    threads.emplace_back([&, t] {
      auto encoder = ParquetDatasetEncoder::Create();
      if (!encoder.ok()) return;
      for (int i = 0; i < 5; ++i) {
        auto bytes = (*encoder)->EncodeTripData(trips);
        results[t] = bytes.ok() ? *bytes : "error: " + bytes.status().ToString();
      }
    });
  }
  for (auto& thread : threads) thread.join();
  for (const std::string& result : results) EXPECT_EQ(result, expected);
}

TEST_F(ParquetDatasetEncoderTest, FactoryMakesIndependentEncoders) {
  const sweep::DatasetEncoderFactory factory = ParquetDatasetEncoderFactory();
  auto a = factory();
  auto b = factory();
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(a->get(), b->get());
  EXPECT_EQ(Encoded((*a)->EncodeRunContext(SampleRunContext())), Encoded((*b)->EncodeRunContext(SampleRunContext())));
}

TEST(ParquetDatasetEncoderTempDirTest, CreatesNothingInTheTemporaryOrWorkingDirectory) {
  TempDir tmp;
  TempDir cwd;
  const char* old_tmpdir = ::getenv("TMPDIR");
  const std::string saved_tmpdir = old_tmpdir != nullptr ? old_tmpdir : "";
  const std::filesystem::path saved_cwd = std::filesystem::current_path();
  ASSERT_EQ(::setenv("TMPDIR", tmp.path().c_str(), 1), 0);
  std::filesystem::current_path(cwd.path());  // DuckDB's default spill folder would be ./.tmp
  {
    auto encoder = ParquetDatasetEncoder::Create();
    ASSERT_TRUE(encoder.ok()) << encoder.status().ToString();
    EXPECT_TRUE(Encoded((*encoder)->EncodeShardMetrics(SampleMetrics())).starts_with("PAR1"));
    EXPECT_TRUE(Encoded((*encoder)->EncodeTripData(SampleTrips(500))).starts_with("PAR1"));
    EXPECT_TRUE(Encoded((*encoder)->EncodeSnapshotCounts(SampleSnapshots(130'000))).starts_with("PAR1"));
    EXPECT_TRUE(Encoded((*encoder)->EncodeEffectiveParameters(SampleEffectiveParameters())).starts_with("PAR1"));
    EXPECT_TRUE(Encoded((*encoder)->EncodeShardOutcome(SuccessOutcome())).starts_with("PAR1"));
    EXPECT_TRUE(Encoded((*encoder)->EncodeRunContext(SampleRunContext())).starts_with("PAR1"));
  }
  std::filesystem::current_path(saved_cwd);
  if (old_tmpdir != nullptr) {
    ::setenv("TMPDIR", saved_tmpdir.c_str(), 1);
  } else {
    ::unsetenv("TMPDIR");
  }
  EXPECT_TRUE(tmp.Entries().empty());
  EXPECT_TRUE(cwd.Entries().empty());
}

TEST(ParquetSchemaTest, PublishedSchemasMatchTheSpec) {
  const std::pair<sweep::Dataset, const std::vector<ExpectedColumn>*> kDatasets[] = {
      {sweep::Dataset::kShardMetrics, &kShardMetricsSchema},
      {sweep::Dataset::kTripData, &kTripDataSchema},
      {sweep::Dataset::kSnapshotCounts, &kSnapshotCountsSchema},
      {sweep::Dataset::kShardOutcomes, &kShardOutcomesSchema},
      {sweep::Dataset::kRunContext, &kRunContextSchema},
      {sweep::Dataset::kEffectiveParameters, &kEffectiveParametersSchema},
  };
  const std::set<std::string> kNullable = {"pickup_at",  "dropoff_at", "cancelled_at", "result_key",
                                           "points_processed", "format", "error_code", "error_message",
                                           // shard_metrics: missing when there is nothing to average.
                                           "avg_time_to_match_ms", "median_time_to_match_ms", "p90_time_to_match_ms",
                                           "avg_time_to_pickup_ms", "median_time_to_pickup_ms",
                                           "p90_time_to_pickup_ms", "match_rate", "share_matched_within_60s",
                                           "share_matched_within_180s",
                                           // run_context: null in runs accepted before the build was recorded.
                                           "build_version", "build_git_revision"};
  for (const auto& [dataset, expected] : kDatasets) {
    const std::span<const ParquetColumn> columns = DatasetColumns(dataset);
    ASSERT_EQ(columns.size(), expected->size()) << sweep::DatasetName(dataset);
    for (size_t i = 0; i < columns.size(); ++i) {
      EXPECT_EQ(columns[i].name, (*expected)[i].name);
      EXPECT_EQ(ColumnTypeName(columns[i].type), (*expected)[i].duckdb_type) << columns[i].name;
      EXPECT_EQ(columns[i].nullable, kNullable.contains(std::string(columns[i].name))) << columns[i].name;
    }
  }
}

}  // namespace
}  // namespace ridesweep::store
