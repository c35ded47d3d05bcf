// `ridesweep simulate` implementation.
#include "commands/simulate_command.h"

#include <CLI/CLI.hpp>

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
#include "ridesweep/base/json_indented.h"
#include "ridesweep/base/json_writer.h"
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
  JsonObject overrides;
  if (o.seed) overrides.Set("seed", JsonOf(*o.seed));
  if (o.num_riders) overrides.Set("num_riders", JsonOf(*o.num_riders));
  if (o.num_drivers) overrides.Set("num_drivers", JsonOf(*o.num_drivers));
  if (o.match_radius) overrides.Set("match_radius", JsonOf(*o.match_radius));
  if (o.matching) overrides.Set("matching_algorithm_type", JsonOf(*o.matching));
  if (!overrides.empty()) {
    RIDESWEEP_ASSIGN_OR_RETURN(p, SimParamsFromJson(ToCanonicalJson(JsonValue::Object(std::move(overrides))), p));
  }
  if (o.duration_hours) {
    if (!(*o.duration_hours > 0) || !std::isfinite(*o.duration_hours)) {
      return InvalidArgumentError("--hours must be a positive number");
    }
    p.simulation_end_time_ms = static_cast<uint64_t>(std::llround(*o.duration_hours * 3'600'000.0));
  }
  return p;
}

JsonValue MetricsJson(const sim::PointMetrics& m) {
  JsonObjectBuilder j;
  j.Add("total_riders", JsonOf(m.total_riders));
  j.Add("total_drivers", JsonOf(m.total_drivers));
  j.Add("completed_riders", JsonOf(m.completed_riders));
  j.Add("abandoned_quote_riders", JsonOf(m.abandoned_quote_riders));
  j.Add("cancelled_riders", JsonOf(m.cancelled_riders));
  j.Add("conversion_rate", JsonOf(m.conversion_rate));
  j.Add("platform_revenue", JsonOf(m.platform_revenue));
  j.Add("driver_payouts", JsonOf(m.driver_payouts));
  j.Add("total_fares_collected", JsonOf(m.total_fares_collected));
  j.Add("avg_time_to_match_ms", JsonOf(m.avg_time_to_match_ms));
  j.Add("median_time_to_match_ms", JsonOf(m.median_time_to_match_ms));
  j.Add("p90_time_to_match_ms", JsonOf(m.p90_time_to_match_ms));
  j.Add("avg_time_to_pickup_ms", JsonOf(m.avg_time_to_pickup_ms));
  j.Add("median_time_to_pickup_ms", JsonOf(m.median_time_to_pickup_ms));
  j.Add("p90_time_to_pickup_ms", JsonOf(m.p90_time_to_pickup_ms));
  j.Add("completed_trips", JsonOf(m.completed_trips));
  j.Add("riders_abandoned_price", JsonOf(m.riders_abandoned_price));
  j.Add("riders_abandoned_eta", JsonOf(m.riders_abandoned_eta));
  j.Add("riders_abandoned_stochastic", JsonOf(m.riders_abandoned_stochastic));
  j.Add("riders_spawned", JsonOf(m.riders_spawned));
  j.Add("riders_unresolved", JsonOf(m.riders_unresolved));
  j.Add("trips_cancelled", JsonOf(m.trips_cancelled));
  j.Add("events_processed", JsonOf(m.events_processed));
  j.Add("final_sim_time_ms", JsonOf(m.final_sim_time_ms));
  j.Add("truncated", JsonOf(m.truncated));
  j.Add("riders_abandoned_no_driver", JsonOf(m.riders_abandoned_no_driver));
  j.Add("match_rate", JsonOf(m.match_rate));
  j.Add("share_matched_within_60s", JsonOf(m.share_matched_within_60s));
  j.Add("share_matched_within_180s", JsonOf(m.share_matched_within_180s));
  return j.Build();
}

// One trip_data row (spec/sweep.md §10.4), keys in column order.
JsonValue TripRowJson(const sim::TripRow& t) {
  JsonObjectBuilder j;
  j.Add("trip_entity", JsonOf(t.trip_entity));
  j.Add("rider_entity", JsonOf(t.rider_entity));
  j.Add("driver_entity", JsonOf(t.driver_entity));
  j.Add("state", JsonOf(static_cast<int64_t>(t.state)));
  j.Add("pickup_cell", JsonOf(t.pickup_cell));
  j.Add("dropoff_cell", JsonOf(t.dropoff_cell));
  j.Add("pickup_distance_km_at_accept", JsonOf(t.pickup_distance_km_at_accept));
  j.Add("requested_at", JsonOf(t.requested_at));
  j.Add("matched_at", JsonOf(t.matched_at));
  j.Add("pickup_at", JsonOf(t.pickup_at));
  j.Add("dropoff_at", JsonOf(t.dropoff_at));
  j.Add("cancelled_at", JsonOf(t.cancelled_at));
  return j.Build();
}

// One snapshot_counts row (§10.5), keys in column order.
JsonValue SnapshotRowJson(const sim::SnapshotRow& s) {
  JsonObjectBuilder j;
  j.Add("timestamp_ms", JsonOf(s.timestamp_ms));
  j.Add("riders_browsing", JsonOf(s.riders_browsing));
  j.Add("riders_waiting", JsonOf(s.riders_waiting));
  j.Add("riders_in_transit", JsonOf(s.riders_in_transit));
  j.Add("riders_completed", JsonOf(s.riders_completed));
  j.Add("riders_cancelled", JsonOf(s.riders_cancelled));
  j.Add("drivers_idle", JsonOf(s.drivers_idle));
  j.Add("drivers_evaluating", JsonOf(s.drivers_evaluating));
  j.Add("drivers_en_route", JsonOf(s.drivers_en_route));
  j.Add("drivers_on_trip", JsonOf(s.drivers_on_trip));
  j.Add("drivers_off_duty", JsonOf(s.drivers_off_duty));
  j.Add("trips_en_route", JsonOf(s.trips_en_route));
  j.Add("trips_on_trip", JsonOf(s.trips_on_trip));
  j.Add("trips_completed", JsonOf(s.trips_completed));
  j.Add("trips_cancelled", JsonOf(s.trips_cancelled));
  return j.Build();
}

// Writes one JSON object per line.
template <typename Row, typename ToJson>
Status WriteJsonLines(const std::filesystem::path& path, const std::vector<Row>& rows, ToJson to_json) {
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  for (const Row& row : rows) file << ToOneLineJson(to_json(row)) << '\n';
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
    JsonObjectBuilder kinds;
    for (size_t k = 0; k < sim::kEventKindCount; ++k) {
      kinds.Add(std::string(sim::EventKindNameAt(k)), JsonOf(result->stats.events_by_kind[k]));
    }
    JsonValue stats = JsonObjectBuilder()
                          .Add("steps", JsonOf(result->stats.steps))
                          .Add("stop_reason", JsonOf(sim::StopReasonName(result->stats.stop_reason)))
                          .Add("stale_events", JsonOf(result->stats.stale_events))
                          .Add("snapshots", JsonOf(collector.snapshots().size()))
                          .Add("trips_created", JsonOf(result->stats.trips_created))
                          .Add("events_by_kind", kinds.Build())
                          .Add("wall_ms", JsonOf(wall_ms))
                          .Build();
    JsonValue doc = JsonObjectBuilder()
                        .Add("scenario", JsonOf(o.scenario))
                        .Add("metrics", MetricsJson(result->metrics))
                        .Add("stats", std::move(stats))
                        .Build();
    out << ToIndentedJson(doc) << "\n";
  } else {
    PrintSummary(out, o, *params, *result, collector.snapshots().size(), wall_ms);
  }
  return 0;
}

}  // namespace ridesweep::cli
