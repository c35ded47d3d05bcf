// Per-configuration n, mean, sd and Student-t intervals over replicates, ranked by fixed-scale health.
#include "ridesweep/analytics/configuration_summary.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "ridesweep/analytics/metric_columns.h"
#include "ridesweep/analytics/run_summary.h"
#include "ridesweep/base/json_parser.h"
#include "ridesweep/base/json_writer.h"
#include "ridesweep/sim/health.h"

namespace ridesweep::analytics {

MeanInterval MeanWithInterval(std::span<const double> values) {
  MeanInterval out;
  out.n = values.size();
  if (values.empty()) return out;
  double sum = 0;
  for (double v : values) sum += v;
  const double n = static_cast<double>(values.size());
  const double mean = sum / n;
  if (values.size() < 2) return MeanWithInterval(values.size(), mean, std::nullopt);
  double squares = 0;
  for (double v : values) squares += (v - mean) * (v - mean);
  return MeanWithInterval(values.size(), mean, std::sqrt(squares / (n - 1)));
}

const MeanInterval* ConfigurationStats::Metric(std::string_view name) const {
  for (const MetricStats& m : metrics) {
    if (m.name == name) return &m.stats;
  }
  return nullptr;
}

std::vector<ConfigurationStats> SummarizeConfigurations(std::span<const ScoredConfiguration> points,
                                                        const sim::HealthWeights& weights) {
  // Points arrive in point_index order; a configuration's first point fixes its place among equal means.
  std::map<std::vector<std::pair<std::string, std::string>>, std::vector<const ScoredConfiguration*>> groups;
  std::vector<std::vector<std::pair<std::string, std::string>>> order;
  for (const ScoredConfiguration& point : points) {
    std::vector<std::pair<std::string, std::string>> key;
    for (const DimensionValue& d : point.dimensions) key.emplace_back(d.name, d.value_json);
    auto [it, inserted] = groups.try_emplace(key);
    if (inserted) order.push_back(key);
    it->second.push_back(&point);
  }
  std::vector<ConfigurationStats> out;
  out.reserve(order.size());
  for (const auto& key : order) {
    const std::vector<const ScoredConfiguration*>& members = groups[key];
    ConfigurationStats stats;
    stats.dimensions = members.front()->dimensions;
    stats.first_point_index = members.front()->point_index;
    stats.n = members.size();
    std::vector<double> values;
    values.reserve(members.size());
    for (const ScoredConfiguration* p : members) values.push_back(sim::PointHealth(p->metrics, weights).score);
    stats.health_score = MeanWithInterval(values);
    for (const MetricColumn& column : MetricColumns()) {
      values.clear();
      size_t missing = 0;
      for (const ScoredConfiguration* p : members) {
        if (const std::optional<double> v = column.value(p->metrics)) {
          values.push_back(*v);
        } else {
          ++missing;
        }
      }
      MeanInterval m = MeanWithInterval(values);
      m.missing = missing;
      stats.metrics.push_back({column.name, m});
    }
    stats.SetShortcuts();
    out.push_back(std::move(stats));
  }
  std::stable_sort(out.begin(), out.end(), [](const ConfigurationStats& a, const ConfigurationStats& b) {
    return a.health_score.mean > b.health_score.mean;
  });
  MarkNotDistinguishableFromBest(out);
  return out;
}

void ConfigurationStats::SetShortcuts() {
  const auto get = [this](std::string_view name) {
    const MeanInterval* m = Metric(name);
    return m != nullptr ? *m : MeanInterval{};
  };
  conversion_rate = get("conversion_rate");
  platform_revenue = get("platform_revenue");
  driver_payouts = get("driver_payouts");
  avg_time_to_match_ms = get("avg_time_to_match_ms");
  avg_time_to_pickup_ms = get("avg_time_to_pickup_ms");
  completed_trips = get("completed_trips");
}

void MarkNotDistinguishableFromBest(std::span<ConfigurationStats> ranked) {
  if (ranked.empty()) return;
  // Overlap of the 95% intervals: separated intervals mean a real difference at about the 1% level or better;
  // overlapping ones do not prove equality, so the mark reads "not distinguishable", never "equal".
  const MeanInterval best = ranked.front().health_score;
  for (ConfigurationStats& c : ranked) {
    const MeanInterval& h = c.health_score;
    if (!h.half_width || !best.half_width) continue;
    c.not_distinguishable_from_best = *h.high() >= *best.low() && *h.low() <= *best.high();
  }
}

MeanInterval MeanWithInterval(size_t n, double mean, std::optional<double> sd) {
  MeanInterval out;
  out.n = n;
  if (n == 0) return out;
  out.mean = mean;
  if (n < 2 || !sd) return out;
  out.sd = sd;
  out.half_width = StudentT975(n - 1) * *sd / std::sqrt(static_cast<double>(n));
  return out;
}

Result<std::vector<DimensionValue>> SelectedDimensionsOf(std::string_view effective_parameters_json,
                                                         std::string_view owner) {
  const std::string where = "effective_parameters_json of " + std::string(owner);
  Result<JsonValue> parsed = ParseJson(effective_parameters_json);
  if (!parsed.ok()) return FailedPreconditionError(where + " is not JSON: " + parsed.status().message());
  if (!parsed->is_object()) return FailedPreconditionError(where + " is not an object");
  const JsonValue* selected = parsed->as_object().Find("selected_dimensions");
  if (selected == nullptr || !selected->is_object()) {
    return FailedPreconditionError(where + " has no selected_dimensions object");
  }
  std::vector<DimensionValue> dimensions;
  for (const JsonMember* member : selected->as_object().SortedMembers()) {
    dimensions.push_back({member->key, ToCanonicalJson(member->value)});
  }
  return dimensions;
}

}  // namespace ridesweep::analytics
