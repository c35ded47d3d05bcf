// End-of-run summary for `ridesweep run`.
#include "commands/run_report.h"

#include <iomanip>
#include <ostream>
#include <sstream>

#include "commands/report_command.h"
#include "commands/sql_dir.h"
#include "ridesweep/analytics/run_query.h"
#include "ridesweep/analytics/run_summary.h"
#include "ridesweep/base/json_indented.h"
#include "ridesweep/base/json_parser.h"

namespace ridesweep::cli {
namespace {

std::string Fixed(double v, int digits) {
  std::ostringstream s;
  s << std::fixed << std::setprecision(digits) << v;
  return s.str();
}

// A time metric of a point that served no one is missing: null in JSON, "none" in text.
std::string OptionalSeconds(const std::optional<double>& ms) { return ms ? Fixed(*ms / 1000, 1) + " s" : "none"; }

std::string LocationFlags(const ResultsLocation& location) {
  std::string flags;
  if (!location.results_dir.empty()) flags += " --results-dir " + location.results_dir;
  if (!location.results_prefix.empty()) flags += " --results-prefix " + location.results_prefix;
  return flags;
}

}  // namespace

bool PrintRunReport(const RunReportInputs& in, JsonValue* json_out, std::ostream& out, std::ostream& err) {
  auto sql_dir = FindSqlDir();
  analytics::LocalResultsLocation where{in.location.Dir(), in.location.Prefix()};
  Result<analytics::RunSummary> summary = sql_dir.ok()
      ? analytics::SummarizeLocalRun(where, *sql_dir, in.run_id, {in.top, in.top, {}})
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

  if (json_out != nullptr) {
    // A dimension value is stored as canonical JSON text; it parses back to the value.
    const auto dimensions = [](const auto& dims) {
      JsonObjectBuilder b;
      for (const auto& d : dims) {
        Result<JsonValue> v = ParseJson(d.value_json);
        b.Add(d.name, v.ok() ? std::move(*v) : JsonValue::String(d.value_json));
      }
      return b.Build();
    };
    JsonArray top;
    for (const auto& c : summary->top) {
      top.push_back(JsonObjectBuilder()
                        .Add("point_index", JsonOf(c.point_index))
                        .Add("shard_id", JsonOf(c.shard_id))
                        .Add("dimensions", dimensions(c.dimensions))
                        .Add("health_score", JsonOf(c.health.score))
                        .Add("conversion_rate", JsonOf(c.metrics.conversion_rate))
                        .Add("platform_revenue", JsonOf(c.metrics.platform_revenue))
                        .Add("driver_payouts", JsonOf(c.metrics.driver_payouts))
                        .Add("avg_time_to_match_ms", JsonOf(c.metrics.avg_time_to_match_ms))
                        .Add("avg_time_to_pickup_ms", JsonOf(c.metrics.avg_time_to_pickup_ms))
                        .Add("abandoned_quote_riders", JsonOf(c.metrics.abandoned_quote_riders))
                        .Build());
    }
    JsonObjectBuilder j;
    j.Add("run_id", JsonOf(in.run_id))
        .Add("run_date", JsonOf(in.run_date))
        .Add("complete", JsonOf(complete))
        .Add("interrupted", JsonOf(in.interrupted))
        .Add("shards_planned", JsonOf(in.shards_planned))
        .Add("shards_succeeded", JsonOf(t.shards_succeeded))
        .Add("shards_failed", JsonOf(t.shards_failed))
        .Add("shards_dead_lettered", JsonOf(in.shards_dead_lettered))
        .Add("points_planned", JsonOf(in.points_planned))
        .Add("points_succeeded", JsonOf(t.points_succeeded))
        .Add("points_failed", JsonOf(t.points_failed))
        .Add("wall_seconds", JsonOf(in.wall_seconds))
        .Add("points_per_second", JsonOf(points_per_s))
        .Add("top_configurations", JsonValue::Array(std::move(top)));
    if (!in.dead_letters.empty()) {
      JsonArray d;
      for (const local::DeadLetter& letter : in.dead_letters) {
        d.push_back(JsonObjectBuilder()
                        .Add("shard_id", JsonOf(letter.shard_id))
                        .Add("attempts", JsonOf(letter.attempts))
                        .Add("error_code", JsonOf(letter.error_code))
                        .Add("error", JsonOf(letter.error))
                        .Add("failure_recorded", JsonOf(letter.failure_recorded))
                        .Build());
      }
      j.Add("dead_letters", JsonValue::Array(std::move(d)));
    }
    // Replicates grouped: mean and 95% Student-t interval (null for a single replicate) per metric.
    const auto interval = [](const analytics::MeanInterval& m) {
      const auto opt = [](bool present, double v) { return present ? JsonOf(v) : JsonValue::Null(); };
      return JsonObjectBuilder()
          .Add("mean", opt(m.n > 0, m.mean))
          .Add("sd", JsonOf(m.sd))
          .Add("ci95_low", opt(m.half_width.has_value(), m.half_width ? m.mean - *m.half_width : 0))
          .Add("ci95_high", opt(m.half_width.has_value(), m.half_width ? m.mean + *m.half_width : 0))
          .Add("n", JsonOf(m.n))
          .Add("missing", JsonOf(m.missing))
          .Build();
    };
    j.Add("configurations", JsonOf(summary->configurations));
    JsonArray by_config;
    for (const auto& c : summary->top_configurations) {
      by_config.push_back(JsonObjectBuilder()
                              .Add("first_point_index", JsonOf(c.first_point_index))
                              .Add("dimensions", dimensions(c.dimensions))
                              .Add("n", JsonOf(c.n))
                              .Add("health_score", interval(c.health_score))
                              .Add("not_distinguishable_from_best", JsonOf(c.not_distinguishable_from_best))
                              .Add("conversion_rate", interval(c.conversion_rate))
                              .Add("platform_revenue", interval(c.platform_revenue))
                              .Add("driver_payouts", interval(c.driver_payouts))
                              .Add("avg_time_to_match_ms", interval(c.avg_time_to_match_ms))
                              .Add("avg_time_to_pickup_ms", interval(c.avg_time_to_pickup_ms))
                              .Add("completed_trips", interval(c.completed_trips))
                              .Build());
    }
    j.Add("top_configurations_by_mean", JsonValue::Array(std::move(by_config)));
    if (failures) {
      JsonArray f;
      for (size_t r = 0; r < failures->rows.size(); ++r) {
        JsonObjectBuilder row;
        for (size_t c = 0; c < failures->columns.size(); ++c) {
          row.Add(failures->columns[c], JsonOf(failures->rows[r][c].value_or("")));
        }
        f.push_back(row.Build());
      }
      j.Add("failures", JsonValue::Array(std::move(f)));
    }
    *json_out = j.Build();
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
