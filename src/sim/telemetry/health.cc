// Health score and ranking (spec/simulation.md §13.3).
#include "ridesweep/sim/health.h"

#include <algorithm>
#include <numeric>

namespace ridesweep::sim {
namespace {

template <typename Getter>
std::vector<double> Normalised(std::span<const PointMetrics> points, Getter get) {
  std::vector<double> out(points.size(), 0.5);
  if (points.empty()) return out;
  double lo = get(points[0]);
  double hi = lo;
  for (const PointMetrics& p : points) {
    lo = std::min(lo, get(p));
    hi = std::max(hi, get(p));
  }
  if (hi == lo) return out;
  for (size_t i = 0; i < points.size(); ++i) out[i] = std::clamp((get(points[i]) - lo) / (hi - lo), 0.0, 1.0);
  return out;
}

}  // namespace

std::vector<HealthComponents> HealthScores(std::span<const PointMetrics> points, const HealthWeights& w) {
  const auto conv = Normalised(points, [](const PointMetrics& p) { return p.conversion_rate; });
  const auto rev = Normalised(points, [](const PointMetrics& p) { return p.platform_revenue; });
  const auto pay = Normalised(points, [](const PointMetrics& p) { return p.driver_payouts; });
  const auto match = Normalised(points, [](const PointMetrics& p) { return p.avg_time_to_match_ms; });
  const auto pickup = Normalised(points, [](const PointMetrics& p) { return p.avg_time_to_pickup_ms; });
  const auto aband =
      Normalised(points, [](const PointMetrics& p) { return static_cast<double>(p.abandoned_quote_riders); });
  std::vector<HealthComponents> out(points.size());
  for (size_t i = 0; i < points.size(); ++i) {
    HealthComponents& c = out[i];
    c.conversion = conv[i];
    c.revenue = rev[i];
    c.payouts = pay[i];
    c.match_time = match[i];
    c.pickup_time = pickup[i];
    c.abandoned = aband[i];
    c.score = w.conversion * conv[i] + w.revenue * rev[i] + w.payouts * pay[i] + w.match_time * (1.0 - match[i]) +
              w.pickup_time * (1.0 - pickup[i]) + w.abandoned * aband[i];
  }
  return out;
}

std::vector<size_t> RankPoints(std::span<const HealthComponents> scores) {
  std::vector<size_t> order(scores.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return scores[a].score > scores[b].score; });
  return order;
}

std::optional<size_t> BestPointIndex(std::span<const HealthComponents> scores) {
  if (scores.empty()) return std::nullopt;
  return RankPoints(scores).front();
}

}  // namespace ridesweep::sim
