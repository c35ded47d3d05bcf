// Health score on fixed reference scales and ranking (docs/model.md "Health score").
#include "ridesweep/sim/health.h"

#include <algorithm>
#include <numeric>

namespace ridesweep::sim {

HealthComponents PointHealth(const PointMetrics& m, const HealthWeights& w) {
  const double riders = static_cast<double>(std::max<int64_t>(m.total_riders, 1));
  HealthComponents c;
  c.conversion = m.conversion_rate;
  c.revenue = m.platform_revenue / riders / kReferenceMoneyPerRider;
  c.payouts = m.driver_payouts / riders / kReferenceMoneyPerRider;
  c.match_time = m.avg_time_to_match_ms ? 1.0 - *m.avg_time_to_match_ms / kReferenceWaitMs : 0.0;
  c.pickup_time = m.avg_time_to_pickup_ms ? 1.0 - *m.avg_time_to_pickup_ms / kReferenceWaitMs : 0.0;
  c.abandoned = static_cast<double>(m.abandoned_quote_riders) / riders;
  c.score = w.conversion * c.conversion + w.revenue * c.revenue + w.payouts * c.payouts +
            w.match_time * c.match_time + w.pickup_time * c.pickup_time + w.abandoned * c.abandoned;
  c.served = m.completed_trips > 0;
  return c;
}

std::vector<HealthComponents> HealthScores(std::span<const PointMetrics> points, const HealthWeights& w) {
  std::vector<HealthComponents> out;
  out.reserve(points.size());
  for (const PointMetrics& p : points) out.push_back(PointHealth(p, w));
  return out;
}

std::vector<size_t> RankPoints(std::span<const HealthComponents> scores) {
  std::vector<size_t> order(scores.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    if (scores[a].served != scores[b].served) return scores[a].served;
    return scores[a].score > scores[b].score;
  });
  return order;
}

std::optional<size_t> BestPointIndex(std::span<const HealthComponents> scores) {
  if (scores.empty()) return std::nullopt;
  return RankPoints(scores).front();
}

}  // namespace ridesweep::sim
