// Health score and ranking (docs/model.md "Health score").
#include "ridesweep/sim/health.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace ridesweep::sim {
namespace {

// Min-max over the points that have the metric; a missing metric (nothing to average) counts as the worst,
// 1.0, so it earns no credit.
template <typename Getter>
std::vector<double> NormalisedTime(std::span<const PointMetrics> points, Getter get) {
  std::vector<double> out(points.size(), 1.0);
  bool any = false;
  double lo = 0.0;
  double hi = 0.0;
  for (const PointMetrics& p : points) {
    const std::optional<double> v = get(p);
    if (!v.has_value()) continue;
    lo = any ? std::min(lo, *v) : *v;
    hi = any ? std::max(hi, *v) : *v;
    any = true;
  }
  for (size_t i = 0; i < points.size(); ++i) {
    const std::optional<double> v = get(points[i]);
    if (!v.has_value()) continue;
    out[i] = hi == lo ? 0.5 : std::clamp((*v - lo) / (hi - lo), 0.0, 1.0);
  }
  return out;
}

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

// More than the spread of any score under these weights: the sum of the absolute weights.
double UnservedPenalty(const HealthWeights& w) {
  return 1.0 + std::abs(w.conversion) + std::abs(w.revenue) + std::abs(w.payouts) + std::abs(w.match_time) +
         std::abs(w.pickup_time) + std::abs(w.abandoned);
}

}  // namespace

std::vector<HealthComponents> HealthScores(std::span<const PointMetrics> points, const HealthWeights& w) {
  const auto conv = Normalised(points, [](const PointMetrics& p) { return p.conversion_rate; });
  const auto rev = Normalised(points, [](const PointMetrics& p) { return p.platform_revenue; });
  const auto pay = Normalised(points, [](const PointMetrics& p) { return p.driver_payouts; });
  const auto match = NormalisedTime(points, [](const PointMetrics& p) { return p.avg_time_to_match_ms; });
  const auto pickup = NormalisedTime(points, [](const PointMetrics& p) { return p.avg_time_to_pickup_ms; });
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
    // A point that served no one ranks below every point that served someone, whatever the weights.
    if (points[i].completed_trips == 0) c.score -= UnservedPenalty(w);
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
