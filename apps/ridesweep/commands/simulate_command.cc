// `ridesweep simulate` implementation.
#include "commands/simulate_command.h"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <ostream>
#include <sstream>
#include <vector>

#include "commands/sim_params_json.h"
#include "ridesweep/sim/point_collector.h"
#include "ridesweep/sim/scenarios.h"
#include "ridesweep/sim/simulation.h"

namespace ridesweep::cli {
namespace {

// --params: inline JSON (the value starts with '{'), '-' for standard input, else a file path.
Result<std::string> ReadParamsArgument(const std::string& value, std::istream& in) {
  const size_t first = value.find_first_not_of(" \t\r\n");
  if (first != std::string::npos && value[first] == '{') return value;
  std::stringstream text;
  if (value == "-") {
    text << in.rdbuf();
    return text.str();
  }
  std::ifstream file(value);
  if (!file) {
    return InvalidArgumentError("cannot read parameter file '" + value +
                                "' (--params takes a file, '-' for standard input, or a JSON object)");
  }
  text << file.rdbuf();
  return text.str();
}

Result<sim::SimParams> ResolveParams(const SimulateOptions& o, std::istream& in) {
  std::optional<sim::SimParams> base = sim::FindScenario(o.scenario);
  if (!base) {
    std::string names;
    for (const auto& s : sim::NamedScenarios()) names += (names.empty() ? "" : ", ") + std::string(s.name);
    return InvalidArgumentError("unknown scenario '" + o.scenario + "' (expected one of: " + names + ")");
  }
  sim::SimParams p = *base;
  if (!o.params_file.empty()) {
    RIDESWEEP_ASSIGN_OR_RETURN(const std::string text, ReadParamsArgument(o.params_file, in));
    RIDESWEEP_ASSIGN_OR_RETURN(p, SimParamsFromJson(text, p));
  }
  nlohmann::json overrides = nlohmann::json::object();
  if (o.seed) overrides["seed"] = *o.seed;
  if (o.num_riders) overrides["num_riders"] = *o.num_riders;
  if (o.num_drivers) overrides["num_drivers"] = *o.num_drivers;
  if (o.match_radius) overrides["match_radius"] = *o.match_radius;
  if (o.matching) overrides["matching_algorithm_type"] = *o.matching;
  if (!overrides.empty()) {
    RIDESWEEP_ASSIGN_OR_RETURN(p, SimParamsFromJson(overrides.dump(), p));
  }
  if (o.duration_hours) {
    if (!(*o.duration_hours > 0) || !std::isfinite(*o.duration_hours)) {
      return InvalidArgumentError("--hours must be a positive number");
    }
    p.simulation_end_time_ms = static_cast<uint64_t>(std::llround(*o.duration_hours * 3'600'000.0));
  }
  return p;
}

// A missing metric (nothing to average) is null, never 0.
nlohmann::ordered_json OptionalNumber(const std::optional<double>& v) {
  return v ? nlohmann::ordered_json(*v) : nlohmann::ordered_json(nullptr);
}

nlohmann::ordered_json MetricsJson(const sim::PointMetrics& m) {
  nlohmann::ordered_json j;
  j["total_riders"] = m.total_riders;
  j["total_drivers"] = m.total_drivers;
  j["completed_riders"] = m.completed_riders;
  j["abandoned_quote_riders"] = m.abandoned_quote_riders;
  j["cancelled_riders"] = m.cancelled_riders;
  j["conversion_rate"] = m.conversion_rate;
  j["platform_revenue"] = m.platform_revenue;
  j["driver_payouts"] = m.driver_payouts;
  j["total_fares_collected"] = m.total_fares_collected;
  j["avg_time_to_match_ms"] = OptionalNumber(m.avg_time_to_match_ms);
  j["median_time_to_match_ms"] = OptionalNumber(m.median_time_to_match_ms);
  j["p90_time_to_match_ms"] = OptionalNumber(m.p90_time_to_match_ms);
  j["avg_time_to_pickup_ms"] = OptionalNumber(m.avg_time_to_pickup_ms);
  j["median_time_to_pickup_ms"] = OptionalNumber(m.median_time_to_pickup_ms);
  j["p90_time_to_pickup_ms"] = OptionalNumber(m.p90_time_to_pickup_ms);
  j["completed_trips"] = m.completed_trips;
  j["riders_abandoned_price"] = m.riders_abandoned_price;
  j["riders_abandoned_eta"] = m.riders_abandoned_eta;
  j["riders_abandoned_stochastic"] = m.riders_abandoned_stochastic;
  j["riders_spawned"] = m.riders_spawned;
  j["riders_unresolved"] = m.riders_unresolved;
  j["trips_cancelled"] = m.trips_cancelled;
  j["events_processed"] = m.events_processed;
  j["final_sim_time_ms"] = m.final_sim_time_ms;
  j["truncated"] = m.truncated;
  j["riders_abandoned_no_driver"] = m.riders_abandoned_no_driver;
  j["match_rate"] = OptionalNumber(m.match_rate);
  j["share_matched_within_60s"] = OptionalNumber(m.share_matched_within_60s);
  j["share_matched_within_180s"] = OptionalNumber(m.share_matched_within_180s);
  return j;
}

nlohmann::ordered_json OptionalMs(const std::optional<int64_t>& v) {
  return v ? nlohmann::ordered_json(*v) : nlohmann::ordered_json(nullptr);
}

// One trip_data row (spec/sweep.md §10.4), keys in column order.
nlohmann::ordered_json TripRowJson(const sim::TripRow& t) {
  nlohmann::ordered_json j;
  j["trip_entity"] = t.trip_entity;
  j["rider_entity"] = t.rider_entity;
  j["driver_entity"] = t.driver_entity;
  j["state"] = static_cast<int>(t.state);
  j["pickup_cell"] = t.pickup_cell;
  j["dropoff_cell"] = t.dropoff_cell;
  j["pickup_distance_km_at_accept"] = t.pickup_distance_km_at_accept;
  j["requested_at"] = t.requested_at;
  j["matched_at"] = t.matched_at;
  j["pickup_at"] = OptionalMs(t.pickup_at);
  j["dropoff_at"] = OptionalMs(t.dropoff_at);
  j["cancelled_at"] = OptionalMs(t.cancelled_at);
  return j;
}

// One snapshot_counts row (§10.5), keys in column order.
nlohmann::ordered_json SnapshotRowJson(const sim::SnapshotRow& s) {
  nlohmann::ordered_json j;
  j["timestamp_ms"] = s.timestamp_ms;
  j["riders_browsing"] = s.riders_browsing;
  j["riders_waiting"] = s.riders_waiting;
  j["riders_in_transit"] = s.riders_in_transit;
  j["riders_completed"] = s.riders_completed;
  j["riders_cancelled"] = s.riders_cancelled;
  j["drivers_idle"] = s.drivers_idle;
  j["drivers_evaluating"] = s.drivers_evaluating;
  j["drivers_en_route"] = s.drivers_en_route;
  j["drivers_on_trip"] = s.drivers_on_trip;
  j["drivers_off_duty"] = s.drivers_off_duty;
  j["trips_en_route"] = s.trips_en_route;
  j["trips_on_trip"] = s.trips_on_trip;
  j["trips_completed"] = s.trips_completed;
  j["trips_cancelled"] = s.trips_cancelled;
  return j;
}

// Writes one JSON object per line.
template <typename Row, typename ToJson>
Status WriteJsonLines(const std::filesystem::path& path, const std::vector<Row>& rows, ToJson to_json) {
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  for (const Row& row : rows) file << to_json(row).dump() << '\n';
  file.flush();
  if (!file) return UnavailableError("cannot write '" + path.string() + "'");
  return Status::Ok();
}

// --rows-out: trip_data.jsonl and snapshot_counts.jsonl in `dir` (created if missing).
Status WriteRows(const std::string& dir, const sim::PointCollector& collector) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return UnavailableError("cannot create directory '" + dir + "': " + ec.message());
  const std::filesystem::path root(dir);
  RIDESWEEP_RETURN_IF_ERROR(WriteJsonLines(root / "trip_data.jsonl", collector.trips(), TripRowJson));
  return WriteJsonLines(root / "snapshot_counts.jsonl", collector.snapshots(), SnapshotRowJson);
}

std::string Seconds(const std::optional<double>& ms) {
  if (!ms) return "none";
  std::ostringstream s;
  s << std::fixed << std::setprecision(1) << *ms / 1000.0 << " s";
  return s.str();
}

void PrintSummary(std::ostream& out, const SimulateOptions& o, const sim::SimParams& p, const sim::SimOutput& r,
                  size_t snapshots, double wall_ms) {
  const sim::PointMetrics& m = r.metrics;
  const double events_per_s = wall_ms > 0 ? static_cast<double>(r.stats.steps) / (wall_ms / 1000.0) : 0.0;
  out << std::fixed;
  out << "ridesweep simulate: scenario " << o.scenario << ", seed " << p.seed << ", "
      << sim::MatchingAlgorithmName(p.matching_algorithm_type)
      << (p.batch_matching_enabled ? " batch matching" : " per-rider matching") << ", radius " << p.match_radius
      << "\n";
  out << "  simulated " << std::setprecision(2) << static_cast<double>(m.final_sim_time_ms) / 3'600'000.0
      << " h in " << std::setprecision(1) << wall_ms << " ms wall: " << r.stats.steps << " events ("
      << std::setprecision(0) << events_per_s << " events/s), stop: " << sim::StopReasonName(r.stats.stop_reason)
      << (m.truncated ? " (TRUNCATED at the step cap)" : "") << "\n";
  out << "  riders  spawned " << m.riders_spawned << " | completed " << m.completed_riders << " | cancelled "
      << m.cancelled_riders << " | abandoned at quote " << m.abandoned_quote_riders << " (price "
      << m.riders_abandoned_price << ", eta " << m.riders_abandoned_eta << ", stochastic "
      << m.riders_abandoned_stochastic << ", no driver " << m.riders_abandoned_no_driver << ") | unresolved " << m.riders_unresolved << "\n";
  out << "  drivers spawned " << m.total_drivers << " | trips created " << r.stats.trips_created << ", cancelled "
      << m.trips_cancelled << "\n";
  out << "  conversion " << std::setprecision(1) << m.conversion_rate * 100.0 << " %"
      << " | fares " << std::setprecision(2) << m.total_fares_collected << " | platform revenue "
      << m.platform_revenue << " | driver payouts " << m.driver_payouts << "\n";
  out << "  time to match  avg " << Seconds(m.avg_time_to_match_ms) << ", median "
      << Seconds(m.median_time_to_match_ms) << ", p90 " << Seconds(m.p90_time_to_match_ms) << "\n";
  out << "  time to pickup avg " << Seconds(m.avg_time_to_pickup_ms) << ", median "
      << Seconds(m.median_time_to_pickup_ms) << ", p90 " << Seconds(m.p90_time_to_pickup_ms) << "\n";
  out << "  snapshots " << snapshots << ", stale events " << r.stats.stale_events << "\n";
}

}  // namespace

CLI::App* AddSimulateCommand(CLI::App& app, SimulateOptions& o) {
  CLI::App* cmd = app.add_subcommand("simulate", "Run one simulation point and print its metrics");
  std::string names;
  for (const auto& s : sim::NamedScenarios()) names += (names.empty() ? "" : ", ") + std::string(s.name);
  cmd->add_option("--scenario", o.scenario, "Named scenario: " + names)->capture_default_str();
  cmd->add_option("--params", o.params_file,
                  "Simulation parameters applied on top of the scenario: a JSON object inline ('{\"num_riders\": 800}'), "
                  "a file, or - for standard input");
  cmd->add_option("--seed", o.seed, "Master seed");
  cmd->add_option("--num-riders", o.num_riders, "Nominal riders (upper bound on spawns)");
  cmd->add_option("--num-drivers", o.num_drivers, "Nominal drivers");
  cmd->add_option("--match-radius", o.match_radius, "Matching radius in grid steps");
  cmd->add_option("--matching", o.matching, "simple | cost_based | hungarian");
  cmd->add_option("--hours", o.duration_hours, "Simulated duration from t = 0 (sets the end time)");
  cmd->add_flag("--json", o.json, "Print metrics and run statistics as JSON");
  cmd->add_option("--rows-out", o.rows_out, "Also write trip_data.jsonl and snapshot_counts.jsonl to this directory");
  return cmd;
}

int RunSimulateCommand(const SimulateOptions& o, std::ostream& out, std::ostream& err) {
  return RunSimulateCommand(o, std::cin, out, err);
}

int RunSimulateCommand(const SimulateOptions& o, std::istream& in, std::ostream& out, std::ostream& err) {
  Result<sim::SimParams> params = ResolveParams(o, in);
  if (!params.ok()) {
    err << "Error: " << params.status().message() << "\n";
    return 2;
  }
  if (Status valid = sim::ValidateSimParams(*params); !valid.ok()) {
    err << "Error: invalid parameters: " << valid.message() << "\n";
    return 2;
  }
  sim::PointCollector collector;
  const auto start = std::chrono::steady_clock::now();
  Result<sim::SimOutput> result = sim::RunSimulation(*params, &collector);
  const double wall_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  if (!result.ok()) {
    err << "Error: simulation failed: " << result.status().message() << "\n";
    return 1;
  }
  if (!o.rows_out.empty()) {
    if (Status written = WriteRows(o.rows_out, collector); !written.ok()) {
      err << "Error: " << written.message() << "\n";
      return 1;
    }
  }
  if (o.json) {
    nlohmann::ordered_json j;
    j["scenario"] = o.scenario;
    j["metrics"] = MetricsJson(result->metrics);
    nlohmann::ordered_json stats;
    stats["steps"] = result->stats.steps;
    stats["stop_reason"] = std::string(sim::StopReasonName(result->stats.stop_reason));
    stats["stale_events"] = result->stats.stale_events;
    stats["snapshots"] = collector.snapshots().size();
    stats["trips_created"] = result->stats.trips_created;
    nlohmann::ordered_json kinds;
    for (size_t k = 0; k < sim::kEventKindCount; ++k) kinds[std::string(sim::EventKindNameAt(k))] = result->stats.events_by_kind[k];
    stats["events_by_kind"] = kinds;
    stats["wall_ms"] = wall_ms;
    j["stats"] = stats;
    out << j.dump(2) << "\n";
  } else {
    PrintSummary(out, o, *params, *result, collector.snapshots().size(), wall_ms);
  }
  return 0;
}

}  // namespace ridesweep::cli
