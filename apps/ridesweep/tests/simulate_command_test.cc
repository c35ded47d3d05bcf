// The simulate command: parameter JSON mapping, validation messages and exit codes, and its summary output.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "commands/sim_params_json.h"
#include "commands/simulate_command.h"

namespace ridesweep::cli {
namespace {

TEST(SimParamsJsonTest, AppliesNestedAndFlatKeys) {
  auto p = SimParamsFromJson(
      R"({"seed": 7, "num_riders": 40, "pricing_config": {"commission_rate": 0.2, "surge_enabled": true},
          "per_km_rate": 2.0, "traffic_profile": "berlin", "matching_algorithm_type": "Cost-Based",
          "base_speed_kmh": 30, "epoch_ms": -86400000, "behaviour": {"accept_probability": 0.5}})",
      sim::SimParams{});
  ASSERT_TRUE(p.ok()) << p.status().message();
  EXPECT_EQ(p->seed, 7u);
  EXPECT_EQ(p->num_riders, 40u);
  EXPECT_DOUBLE_EQ(p->pricing_config.commission_rate, 0.2);
  EXPECT_TRUE(p->pricing_config.surge_enabled);
  EXPECT_DOUBLE_EQ(p->pricing_config.per_km_rate, 2.0);
  EXPECT_EQ(p->traffic_profile.kind, sim::TrafficProfileKind::kBerlin);
  EXPECT_EQ(p->matching_algorithm_type, sim::MatchingAlgorithm::kCostBased);
  EXPECT_EQ(p->base_speed_kmh, 30.0);
  EXPECT_EQ(p->epoch_ms, -86'400'000);
  EXPECT_DOUBLE_EQ(p->behaviour.accept_probability, 0.5);
}

TEST(SimParamsJsonTest, DurationIsWindowPlusHours) {
  auto p = SimParamsFromJson(R"({"simulation_duration_hours": 1, "request_window_ms": 1000})", sim::SimParams{});
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->simulation_end_time_ms, 3'601'000u);
}

TEST(SimParamsJsonTest, ErrorsNameTheParameter) {
  struct Case {
    const char* json;
    const char* message;
  } cases[] = {
      {R"({"num_riders": -1})", "parameter 'num_riders' must be a non-negative integer"},
      {R"({"match_radius": 4294967296})", "parameter 'match_radius' must be an integer in [0, 4294967295]"},
      {R"({"bogus": 1})", "unknown parameter 'bogus'"},
      {R"({"matching_algorithm_type": "fastest"})", "parameter 'matching_algorithm_type' must be simple, cost_based or hungarian"},
      {R"({"traffic_profile": {"custom": [1, 2]}})", "traffic_profile custom factors must be 24 positive numbers"},
      {R"([1])", "parameters must be a JSON object"},
      {R"({)", "parameters are not valid JSON: EOF while parsing an object at line 1 column 1"},
  };
  for (const Case& c : cases) {
    auto p = SimParamsFromJson(c.json, sim::SimParams{});
    ASSERT_FALSE(p.ok()) << c.json;
    EXPECT_EQ(p.status().message(), c.message);
  }
}

TEST(SimulateCommandTest, PrintsReadableSummary) {
  SimulateOptions o;
  o.scenario = "bench-small-r5";
  std::ostringstream out, err;
  EXPECT_EQ(RunSimulateCommand(o, out, err), 0) << err.str();
  EXPECT_NE(out.str().find("scenario bench-small-r5"), std::string::npos);
  EXPECT_NE(out.str().find("conversion"), std::string::npos);
  EXPECT_NE(out.str().find("time to match"), std::string::npos);
}

TEST(SimulateCommandTest, JsonHasAllMetricFieldsInOrder) {
  SimulateOptions o;
  o.scenario = "bench-small";
  o.json = true;
  std::ostringstream out, err;
  ASSERT_EQ(RunSimulateCommand(o, out, err), 0);
  auto j = nlohmann::ordered_json::parse(out.str());
  const char* fields[] = {"total_riders", "total_drivers", "completed_riders", "abandoned_quote_riders",
                          "cancelled_riders", "conversion_rate", "platform_revenue", "driver_payouts",
                          "total_fares_collected", "avg_time_to_match_ms", "median_time_to_match_ms",
                          "p90_time_to_match_ms", "avg_time_to_pickup_ms", "median_time_to_pickup_ms",
                          "p90_time_to_pickup_ms", "completed_trips", "riders_abandoned_price", "riders_abandoned_eta",
                          "riders_abandoned_stochastic", "riders_spawned", "riders_unresolved", "trips_cancelled",
                          "events_processed", "final_sim_time_ms", "truncated", "riders_abandoned_no_driver",
                          "match_rate", "share_matched_within_60s", "share_matched_within_180s"};
  size_t i = 0;
  for (const auto& [key, value] : j["metrics"].items()) {
    ASSERT_LT(i, std::size(fields));
    EXPECT_EQ(key, fields[i++]);
  }
  EXPECT_EQ(i, std::size(fields));
  EXPECT_EQ(j["stats"]["events_by_kind"]["BatchMatchRun"], 720);  // ceil(1 h / 5 s).
}

TEST(SimulateCommandTest, NoFlagsRunTheModelDefaults) {
  // `simulate` with no flags runs SimParams{} (the defaults a sweep point with no dimensions starts from).
  SimulateOptions o;
  o.json = true;
  std::ostringstream out, err;
  ASSERT_EQ(RunSimulateCommand(o, out, err), 0) << err.str();
  auto j = nlohmann::ordered_json::parse(out.str());
  EXPECT_EQ(j["scenario"], "default");
  EXPECT_EQ(j["metrics"]["total_drivers"], sim::SimParams{}.num_drivers);
  EXPECT_EQ(j["metrics"]["riders_spawned"], sim::SimParams{}.num_riders);
}

TEST(SimulateCommandTest, AServedNoOneRunHasNullTimeMetrics) {
  SimulateOptions o;
  o.scenario = "bench-small";
  o.json = true;
  const std::string params = ::testing::TempDir() + "/no_drivers.json";
  std::ofstream(params) << R"({"num_drivers": 0})";
  o.params_file = params;
  std::ostringstream out, err;
  ASSERT_EQ(RunSimulateCommand(o, out, err), 0) << err.str();
  auto j = nlohmann::ordered_json::parse(out.str());
  EXPECT_EQ(j["metrics"]["completed_trips"], 0);
  EXPECT_TRUE(j["metrics"]["avg_time_to_match_ms"].is_null());
  EXPECT_TRUE(j["metrics"]["p90_time_to_pickup_ms"].is_null());
  EXPECT_TRUE(j["metrics"]["match_rate"].is_null());
}

TEST(SimulateCommandTest, InvalidInputExitsTwoWithMessage) {
  SimulateOptions o;
  o.scenario = "nope";
  std::ostringstream out, err;
  EXPECT_EQ(RunSimulateCommand(o, out, err), 2);
  EXPECT_NE(err.str().find("unknown scenario 'nope'"), std::string::npos);

  SimulateOptions missing;
  missing.params_file = "/nonexistent/params.json";
  std::ostringstream out2, err2;
  EXPECT_EQ(RunSimulateCommand(missing, out2, err2), 2);
  EXPECT_NE(err2.str().find("cannot read parameter file"), std::string::npos);
}

TEST(SimulateCommandTest, ValidationMessageReachesTheUser) {
  const std::string path = testing::TempDir() + "bad_params.json";
  std::FILE* f = std::fopen(path.c_str(), "w");
  ASSERT_NE(f, nullptr);
  std::fputs(R"({"pricing_config": {"commission_rate": 1.5}})", f);
  std::fclose(f);
  SimulateOptions o;
  o.params_file = path;
  std::ostringstream out, err;
  EXPECT_EQ(RunSimulateCommand(o, out, err), 2);
  EXPECT_EQ(err.str(), "Error: invalid parameters: commission_rate must be in [0, 1]\n");
}

std::vector<nlohmann::ordered_json> ReadJsonLines(const std::filesystem::path& path) {
  std::vector<nlohmann::ordered_json> rows;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) rows.push_back(nlohmann::ordered_json::parse(line));
  return rows;
}

std::vector<std::string> Keys(const nlohmann::ordered_json& j) {
  std::vector<std::string> keys;
  for (const auto& [key, value] : j.items()) keys.push_back(key);
  return keys;
}

TEST(SimulateCommandTest, RowsOutWritesEveryTripAndSnapshotInColumnOrder) {
  const std::filesystem::path dir = std::filesystem::path(testing::TempDir()) / "simulate_rows_out" / "nested";
  std::filesystem::remove_all(dir.parent_path());
  SimulateOptions o;
  o.scenario = "bench-small-r5";  // radius 5: some trips complete, some are cancelled
  o.json = true;
  o.rows_out = dir.string();
  std::ostringstream out, err;
  ASSERT_EQ(RunSimulateCommand(o, out, err), 0) << err.str();
  const auto summary = nlohmann::ordered_json::parse(out.str());

  const auto trips = ReadJsonLines(dir / "trip_data.jsonl");
  ASSERT_EQ(trips.size(), summary["stats"]["trips_created"].get<size_t>());
  ASSERT_FALSE(trips.empty());
  EXPECT_EQ(Keys(trips.front()), (std::vector<std::string>{"trip_entity", "rider_entity", "driver_entity", "state",
                                                           "pickup_cell", "dropoff_cell",
                                                           "pickup_distance_km_at_accept", "requested_at",
                                                           "matched_at", "pickup_at", "dropoff_at", "cancelled_at"}));
  int64_t completed = 0;
  int64_t cancelled = 0;
  for (size_t i = 0; i < trips.size(); ++i) {
    if (i > 0) {
      EXPECT_LT(trips[i - 1]["trip_entity"].get<int64_t>(), trips[i]["trip_entity"].get<int64_t>());
    }
    if (trips[i]["state"] == 2) {
      ++completed;
      EXPECT_TRUE(trips[i]["dropoff_at"].is_number_integer());
      EXPECT_TRUE(trips[i]["cancelled_at"].is_null());
    }
    if (trips[i]["state"] == 3) {
      ++cancelled;
      EXPECT_TRUE(trips[i]["cancelled_at"].is_number_integer());
      EXPECT_TRUE(trips[i]["dropoff_at"].is_null());
    }
  }
  EXPECT_EQ(cancelled, summary["metrics"]["trips_cancelled"].get<int64_t>());
  EXPECT_EQ(completed, summary["metrics"]["completed_trips"].get<int64_t>());

  const auto snapshots = ReadJsonLines(dir / "snapshot_counts.jsonl");
  ASSERT_EQ(snapshots.size(), summary["stats"]["snapshots"].get<size_t>());
  ASSERT_FALSE(snapshots.empty());
  EXPECT_EQ(Keys(snapshots.front()).size(), 15u);
  EXPECT_EQ(Keys(snapshots.front()).front(), "timestamp_ms");
  EXPECT_EQ(snapshots.back()["trips_completed"], summary["metrics"]["completed_trips"]);
}

TEST(SimulateCommandTest, RowsOutThatCannotBeCreatedExitsOne) {
  const std::string file = testing::TempDir() + "rows_out_is_a_file";
  std::ofstream(file) << "x";
  SimulateOptions o;
  o.scenario = "bench-small";
  o.rows_out = file + "/rows";
  std::ostringstream out, err;
  EXPECT_EQ(RunSimulateCommand(o, out, err), 1);
  EXPECT_NE(err.str().find("Error: cannot create directory '" + o.rows_out + "'"), std::string::npos) << err.str();
}

}  // namespace
}  // namespace ridesweep::cli
