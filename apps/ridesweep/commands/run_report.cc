// End-of-run summary for `ridesweep run`.
#include "commands/run_report.h"

#include <nlohmann/json.hpp>

#include <iomanip>
#include <ostream>
#include <sstream>

#include "commands/report_command.h"
#include "commands/sql_dir.h"
#include "ridesweep/analytics/run_query.h"
#include "ridesweep/analytics/run_summary.h"

namespace ridesweep::cli {
namespace {

std::string Fixed(double v, int digits) {
  std::ostringstream s;
  s << std::fixed << std::setprecision(digits) << v;
  return s.str();
}

// A time metric of a point that served no one is missing: null in JSON, "none" in text.
nlohmann::ordered_json OptionalNumber(const std::optional<double>& v) {
  return v ? nlohmann::ordered_json(*v) : nlohmann::ordered_json(nullptr);
}
std::string OptionalSeconds(const std::optional<double>& ms) { return ms ? Fixed(*ms / 1000, 1) + " s" : "none"; }

std::string LocationFlags(const ResultsLocation& location) {
  std::string flags;
  if (!location.results_dir.empty()) flags += " --results-dir " + location.results_dir;
  if (!location.results_prefix.empty()) flags += " --results-prefix " + location.results_prefix;
  return flags;
}

}  // namespace

bool PrintRunReport(const RunReportInputs& in, bool json, std::ostream& out, std::ostream& err) {
  auto sql_dir = FindSqlDir();
  analytics::LocalResultsLocation where{in.location.Dir(), in.location.Prefix()};
  Result<analytics::RunSummary> summary = sql_dir.ok()
      ? analytics::SummarizeLocalRun(where, *sql_dir, in.run_id, {in.top, {}})
      : Result<analytics::RunSummary>(sql_dir.status());
  if (!summary.ok()) {
    err << "Error: cannot summarise the run: " << summary.status().message() << "\n";
    return false;
  }
  const analytics::RunTotals& t = summary->totals;
  const bool complete = t.shards_succeeded == in.shards_planned;
  const double points_per_s = in.wall_seconds > 0 ? static_cast<double>(t.points_succeeded) / in.wall_seconds : 0;

  // Why shards failed, from the stored failure records.
  std::optional<analytics::QueryResult> failures;
  if (t.shards_failed > 0 && sql_dir.ok()) {
    analytics::LocalQueryOptions q;
    q.results_dir = in.location.Dir();
    q.results_prefix = in.location.Prefix();
    q.sql_dir = *sql_dir;
    if (auto r = analytics::RunLocalQuery(q, "query_failure_diagnostics", in.run_id); r.ok()) failures = *r;
  }

  if (json) {
    nlohmann::ordered_json j;
    j["run_id"] = in.run_id;
    j["run_date"] = in.run_date;
    j["complete"] = complete;
    j["interrupted"] = in.interrupted;
    j["shards_planned"] = in.shards_planned;
    j["shards_succeeded"] = t.shards_succeeded;
    j["shards_failed"] = t.shards_failed;
    j["shards_dead_lettered"] = in.shards_dead_lettered;
    j["points_planned"] = in.points_planned;
    j["points_succeeded"] = t.points_succeeded;
    j["points_failed"] = t.points_failed;
    j["wall_seconds"] = in.wall_seconds;
    j["points_per_second"] = points_per_s;
    nlohmann::ordered_json top = nlohmann::ordered_json::array();
    for (const auto& c : summary->top) {
      nlohmann::ordered_json e;
      e["point_index"] = c.point_index;
      e["shard_id"] = c.shard_id;
      nlohmann::ordered_json dims;
      for (const auto& d : c.dimensions) dims[d.name] = nlohmann::ordered_json::parse(d.value_json);
      e["dimensions"] = dims;
      e["health_score"] = c.health.score;
      e["conversion_rate"] = c.metrics.conversion_rate;
      e["platform_revenue"] = c.metrics.platform_revenue;
      e["driver_payouts"] = c.metrics.driver_payouts;
      e["avg_time_to_match_ms"] = OptionalNumber(c.metrics.avg_time_to_match_ms);
      e["avg_time_to_pickup_ms"] = OptionalNumber(c.metrics.avg_time_to_pickup_ms);
      e["abandoned_quote_riders"] = c.metrics.abandoned_quote_riders;
      top.push_back(e);
    }
    j["top_configurations"] = top;
    if (!in.dead_letters.empty()) {
      nlohmann::ordered_json d = nlohmann::ordered_json::array();
      for (const local::DeadLetter& letter : in.dead_letters) {
        nlohmann::ordered_json row;
        row["shard_id"] = letter.shard_id;
        row["attempts"] = letter.attempts;
        row["error_code"] = letter.error_code;
        row["error"] = letter.error;
        row["failure_recorded"] = letter.failure_recorded;
        d.push_back(row);
      }
      j["dead_letters"] = d;
    }
    // Replicates grouped: mean and 95% Student-t interval (null for a single replicate) per metric.
    const auto interval = [](const analytics::MeanInterval& m) {
      nlohmann::ordered_json e;
      e["mean"] = m.n > 0 ? nlohmann::ordered_json(m.mean) : nlohmann::ordered_json();
      e["sd"] = m.sd ? nlohmann::ordered_json(*m.sd) : nlohmann::ordered_json();
      e["ci95_low"] = m.half_width ? nlohmann::ordered_json(m.mean - *m.half_width) : nlohmann::ordered_json();
      e["ci95_high"] = m.half_width ? nlohmann::ordered_json(m.mean + *m.half_width) : nlohmann::ordered_json();
      e["n"] = m.n;
      e["missing"] = m.missing;
      return e;
    };
    j["configurations"] = summary->configurations;
    nlohmann::ordered_json by_config = nlohmann::ordered_json::array();
    for (const auto& c : summary->top_configurations) {
      nlohmann::ordered_json e;
      e["first_point_index"] = c.first_point_index;
      nlohmann::ordered_json dims = nlohmann::ordered_json::object();
      for (const auto& d : c.dimensions) dims[d.name] = nlohmann::ordered_json::parse(d.value_json);
      e["dimensions"] = dims;
      e["n"] = c.n;
      e["health_score"] = interval(c.health_score);
      e["not_distinguishable_from_best"] = c.not_distinguishable_from_best
                                               ? nlohmann::ordered_json(*c.not_distinguishable_from_best)
                                               : nlohmann::ordered_json();
      e["conversion_rate"] = interval(c.conversion_rate);
      e["platform_revenue"] = interval(c.platform_revenue);
      e["driver_payouts"] = interval(c.driver_payouts);
      e["avg_time_to_match_ms"] = interval(c.avg_time_to_match_ms);
      e["avg_time_to_pickup_ms"] = interval(c.avg_time_to_pickup_ms);
      e["completed_trips"] = interval(c.completed_trips);
      by_config.push_back(e);
    }
    j["top_configurations_by_mean"] = by_config;
    if (failures) {
      nlohmann::ordered_json f = nlohmann::ordered_json::array();
      for (size_t r = 0; r < failures->rows.size(); ++r) {
        nlohmann::ordered_json row;
        for (size_t c = 0; c < failures->columns.size(); ++c) {
          row[failures->columns[c]] = failures->rows[r][c].value_or("");
        }
        f.push_back(row);
      }
      j["failures"] = f;
    }
    out << j.dump(2) << "\n";
    return complete;
  }

  out << "\nRun " << in.run_id << " (" << in.run_date << ")"
      << (in.interrupted ? " — interrupted; rerun the same command to complete it" : "") << "\n";
  out << "  shards: " << t.shards_succeeded << "/" << in.shards_planned << " succeeded, " << t.shards_failed
      << " failed" << (in.shards_dead_lettered ? " (" + std::to_string(in.shards_dead_lettered) + " dead-lettered)" : "")
      << "\n";
  out << "  points: " << t.points_succeeded << "/" << in.points_planned << " succeeded, " << t.points_failed
      << " in failed shards\n";
  out << "  wall time " << Fixed(in.wall_seconds, 2) << " s, " << Fixed(points_per_s, 1) << " points/s\n";
  if (!in.dead_letters.empty()) {
    out << "  dead-lettered shards (attempts exhausted; rerun the same command to retry them):\n";
    for (const local::DeadLetter& letter : in.dead_letters) {
      out << "    shard " << letter.shard_id << " after " << letter.attempts << " attempts, " << letter.error_code
          << ": " << letter.error << (letter.failure_recorded ? "" : " (no failure record could be written)")
          << "\n";
    }
  }
  if (failures && !failures->rows.empty()) {
    out << "  failures (recorded, by error code):\n";
    for (const auto& row : failures->rows) {
      out << "    " << row[0].value_or("?") << ": " << row[1].value_or("?") << " occurrence(s), e.g. \""
          << row.back().value_or("") << "\"\n";
    }
  }
  if (!summary->top.empty()) {
    out << "\nTop configurations by health score (of " << summary->points_scored << " points):\n";
    for (size_t rank = 0; rank < summary->top.size(); ++rank) {
      const auto& c = summary->top[rank];
      std::string dims;
      for (const auto& d : c.dimensions) dims += (dims.empty() ? "" : ", ") + d.name + "=" + d.value_json;
      out << "  " << rank + 1 << ". point " << c.point_index << "  score " << Fixed(c.health.score, 3) << "  "
          << dims << "\n";
      out << "     conversion " << Fixed(c.metrics.conversion_rate * 100, 1) << " %, revenue "
          << Fixed(c.metrics.platform_revenue, 2) << ", payouts " << Fixed(c.metrics.driver_payouts, 2)
          << ", match " << OptionalSeconds(c.metrics.avg_time_to_match_ms) << ", pickup "
          << OptionalSeconds(c.metrics.avg_time_to_pickup_ms) << ", abandoned " << c.metrics.abandoned_quote_riders
          << "\n";
    }
  }
  const bool replicated = summary->configurations < summary->points_scored;
  if (replicated && !summary->top_configurations.empty()) {
    const auto pm = [](const analytics::MeanInterval& m, int digits, double scale) {
      if (m.n == 0) return std::string("n/a");
      std::string s = Fixed(m.mean * scale, digits);
      if (m.half_width) s += " ± " + Fixed(*m.half_width * scale, digits);
      return s;
    };
    out << "\nTop configurations by mean health score (of " << summary->configurations
        << " configurations; fixed-scale health score; mean ± 95% interval over n replicates;"
        << " * = not distinguishable from the best):\n";
    for (size_t rank = 0; rank < summary->top_configurations.size(); ++rank) {
      const auto& c = summary->top_configurations[rank];
      std::string dims;
      for (const auto& d : c.dimensions) dims += (dims.empty() ? "" : ", ") + d.name + "=" + d.value_json;
      const char* mark = c.not_distinguishable_from_best.value_or(false) ? " *" : "";
      out << "  " << rank + 1 << ". n=" << c.n << "  score " << pm(c.health_score, 3, 1) << mark << "  " << dims
          << "\n";
      out << "     conversion " << pm(c.conversion_rate, 1, 100) << " %, revenue " << pm(c.platform_revenue, 2, 1)
          << ", payouts " << pm(c.driver_payouts, 2, 1) << ", match " << pm(c.avg_time_to_match_ms, 1, 0.001)
          << " s\n";
    }
  }
  const std::string flags = LocationFlags(in.location);
  out << "\nNext:\n";
  out << "  ridesweep query query_run_level_profile --run-id " << in.run_id << flags << "\n";
  out << "  ridesweep ingest --run-id " << in.run_id << flags << "\n";
  out << "  " << ReportCommandLine(in.run_id, in.location) << "   # charts: writes report.html, open it in a browser\n";
  return complete;
}

}  // namespace ridesweep::cli
