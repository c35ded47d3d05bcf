// Per-configuration means and Student-t intervals over replicates.
#include "ridesweep/analytics/configuration_summary.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>

#include "ridesweep/analytics/run_summary.h"

namespace ridesweep::analytics {
namespace {

// t(0.975, df) for df = 1..30.
constexpr std::array<double, 30> kT975 = {
    12.7062, 4.3027, 3.1824, 2.7764, 2.5706, 2.4469, 2.3646, 2.3060, 2.2622, 2.2281,
    2.2010,  2.1788, 2.1604, 2.1448, 2.1314, 2.1199, 2.1098, 2.1009, 2.0930, 2.0860,
    2.0796,  2.0739, 2.0687, 2.0639, 2.0595, 2.0555, 2.0518, 2.0484, 2.0452, 2.0423};
// Beyond 30: linear in 1/df between these anchors (df, t).
constexpr std::array<std::pair<double, double>, 5> kT975Tail = {
    {{30, 2.0423}, {40, 2.0211}, {60, 2.0003}, {120, 1.9799}, {1e300, 1.9600}}};

}  // namespace

double StudentT975(uint64_t df) {
  if (df == 0) return std::nan("");
  if (df <= kT975.size()) return kT975[df - 1];
  const double x = 1.0 / static_cast<double>(df);
  for (size_t i = 1; i < kT975Tail.size(); ++i) {
    const auto [df_hi, t_hi] = kT975Tail[i - 1];
    const auto [df_lo, t_lo] = kT975Tail[i];
    if (static_cast<double>(df) <= df_lo) {
      const double a = 1.0 / df_hi;
      const double b = 1.0 / df_lo;
      return t_lo + (t_hi - t_lo) * (x - b) / (a - b);
    }
  }
  return 1.96;
}

MeanInterval MeanWithInterval(std::span<const double> values) {
  MeanInterval out;
  out.n = values.size();
  if (values.empty()) return out;
  double sum = 0;
  for (double v : values) sum += v;
  const double n = static_cast<double>(values.size());
  out.mean = sum / n;
  if (values.size() < 2) return out;
  double squares = 0;
  for (double v : values) squares += (v - out.mean) * (v - out.mean);
  const double sd = std::sqrt(squares / (n - 1));
  out.half_width = StudentT975(values.size() - 1) * sd / std::sqrt(n);
  return out;
}

std::vector<ConfigurationStats> SummarizeConfigurations(std::span<const ScoredConfiguration> points) {
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
    // Missing values (std::nullopt) are left out of the mean and counted.
    const auto interval = [&members](auto metric) {
      std::vector<double> values;
      values.reserve(members.size());
      size_t missing = 0;
      for (const ScoredConfiguration* p : members) {
        const std::optional<double> v = metric(*p);
        if (v.has_value()) {
          values.push_back(*v);
        } else {
          ++missing;
        }
      }
      MeanInterval m = MeanWithInterval(values);
      m.missing = missing;
      return m;
    };
    using Value = std::optional<double>;
    stats.health_score = interval([](const ScoredConfiguration& p) { return Value(p.health.score); });
    stats.conversion_rate = interval([](const ScoredConfiguration& p) { return Value(p.metrics.conversion_rate); });
    stats.platform_revenue = interval([](const ScoredConfiguration& p) { return Value(p.metrics.platform_revenue); });
    stats.driver_payouts = interval([](const ScoredConfiguration& p) { return Value(p.metrics.driver_payouts); });
    stats.avg_time_to_match_ms =
        interval([](const ScoredConfiguration& p) { return Value(p.metrics.avg_time_to_match_ms); });
    stats.avg_time_to_pickup_ms =
        interval([](const ScoredConfiguration& p) { return Value(p.metrics.avg_time_to_pickup_ms); });
    stats.completed_trips = interval(
        [](const ScoredConfiguration& p) { return Value(static_cast<double>(p.metrics.completed_trips)); });
    out.push_back(std::move(stats));
  }
  std::stable_sort(out.begin(), out.end(), [](const ConfigurationStats& a, const ConfigurationStats& b) {
    return a.health_score.mean > b.health_score.mean;
  });
  return out;
}

}  // namespace ridesweep::analytics
