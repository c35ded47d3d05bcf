// Health components on fixed reference scales.
#include "ridesweep/analytics/fixed_scale_health.h"

#include <algorithm>

namespace ridesweep::analytics {

sim::HealthComponents FixedScaleHealth(const sim::PointMetrics& m, const sim::HealthWeights& w) {
  const double riders = static_cast<double>(std::max<int64_t>(m.total_riders, 1));
  sim::HealthComponents c;
  c.conversion = m.conversion_rate;
  c.revenue = m.platform_revenue / riders / kReferenceMoneyPerRider;
  c.payouts = m.driver_payouts / riders / kReferenceMoneyPerRider;
  c.match_time = m.avg_time_to_match_ms ? 1.0 - *m.avg_time_to_match_ms / kReferenceWaitMs : 0.0;
  c.pickup_time = m.avg_time_to_pickup_ms ? 1.0 - *m.avg_time_to_pickup_ms / kReferenceWaitMs : 0.0;
  c.abandoned = static_cast<double>(m.abandoned_quote_riders) / riders;
  c.score = w.conversion * c.conversion + w.revenue * c.revenue + w.payouts * c.payouts +
            w.match_time * c.match_time + w.pickup_time * c.pickup_time + w.abandoned * c.abandoned;
  return c;
}

}  // namespace ridesweep::analytics
